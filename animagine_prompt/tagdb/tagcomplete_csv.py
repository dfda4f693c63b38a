"""Parsing Tag Autocomplete's tag files: headerless ``name,type,postCount,"alias1,alias2"`` rows.

Only Danbooru's type ids are understood; a file using any other id (another
booru's list) is rejected whole rather than half-misread.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..categories import Category

#: Danbooru's tag type ids as Tag Autocomplete stores them.
DANBOORU_TYPES = {
    0: Category.GENERAL,
    1: Category.ARTIST,
    3: Category.COPYRIGHT,
    4: Category.CHARACTER,
    5: Category.META,
}
_MAX_LINE_MESSAGES = 3


@dataclass(frozen=True)
class TagcompleteRow:
    name: str
    category: Category
    count: int
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class TagcompleteFile:
    path: Path
    rows: tuple[TagcompleteRow, ...]
    messages: tuple[str, ...]
    rejected: str | None = None  # why the whole file was skipped


def read_tag_file(path: Path) -> TagcompleteFile:
    """Parse one CSV (``.csv.gz`` too); a file using type ids Danbooru does not have is rejected whole."""
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        text = data.decode("utf-8-sig")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        return TagcompleteFile(path, (), (), f"cannot read {path} ({exc})")
    rows: list[TagcompleteRow] = []
    messages: list[str] = []
    bad_lines = 0
    try:
        reader = csv.reader(io.StringIO(text))
        for cells in reader:
            number = reader.line_num
            if not cells or not "".join(cells).strip():
                continue
            try:
                type_id = int(cells[1]) if len(cells) > 1 else None
            except ValueError:
                type_id = None
            if type_id is None or not cells[0].strip():
                bad_lines += 1
                if bad_lines <= _MAX_LINE_MESSAGES:
                    messages.append(f"{path}:{number}: expected 'name,type,postCount,aliases'; line skipped")
                continue
            category = DANBOORU_TYPES.get(type_id)
            if category is None:
                reason = f"{path}:{number}: type id {type_id} is not a Danbooru tag type; file skipped"
                return TagcompleteFile(path, (), (), reason)
            count = _int_or_zero(cells[2]) if len(cells) > 2 else 0
            aliases = tuple(a for cell in cells[3:] for a in cell.split(",") if a.strip())
            rows.append(TagcompleteRow(cells[0], category, count, aliases))
    except csv.Error as exc:
        messages.append(f"{path}: malformed CSV ({exc}); the rest of the file was skipped")
    if bad_lines > _MAX_LINE_MESSAGES:
        messages.append(f"{path}: {bad_lines - _MAX_LINE_MESSAGES} more malformed line(s) skipped")
    return TagcompleteFile(path, tuple(rows), tuple(messages))


def _int_or_zero(text: str) -> int:
    try:
        return max(0, int(text))
    except ValueError:
        return 0
