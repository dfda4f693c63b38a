"""The user's own ``tag,category`` overrides (``tags/user.csv``).

This file wins over every other source and is never touched by updates (it is
gitignored); the UI's editor reads and writes it through the two functions
here, and writes are atomic so a crash never leaves half a file behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ..atomic import write_text_atomic
from ..categories import Category
from .csvfiles import CsvProblem, iter_rows, parse_category
from .keys import canonical_name

log = logging.getLogger(__name__)

DEFAULT_HEADER = (
    "# Your tag categories: one 'tag,category' per line; this file wins over every other source.\n"
    "# Categories: " + ", ".join(c.value for c in Category) + "\n"
)


class UserRows(NamedTuple):
    rows: tuple[tuple[str, Category], ...]
    messages: tuple[str, ...]


def parse_user_overrides(path: Path) -> UserRows:
    """Rows and one-line problems of an overrides file; a missing file has neither."""
    rows: list[tuple[str, Category]] = []
    messages: list[str] = []
    try:
        for number, cells in iter_rows(path, "tag"):
            where = f"{path}:{number}"
            try:
                if len(cells) != 2 or not cells[0] or not cells[1]:
                    raise CsvProblem(f"{where}: expected 'tag,category', got {','.join(cells)!r}")
                rows.append((canonical_name(cells[0]), parse_category(cells[1], where)))
            except CsvProblem as exc:
                messages.append(str(exc))
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        messages.append(f"{path}: cannot read user overrides ({exc})")
    return UserRows(tuple(rows), tuple(messages))


def read_user_overrides(path: Path | str) -> list[tuple[str, Category]]:
    """The overrides in file order, canonically spelled; bad lines are logged and skipped."""
    parsed = parse_user_overrides(Path(path))
    for message in parsed.messages:
        log.warning("%s", message)
    return list(parsed.rows)


def write_user_overrides(path: Path | str, rows: Iterable[tuple[str, Category | str]]) -> None:
    """Replace the overrides file with ``rows``, keeping its leading comment block.

    Written to a temporary file in the same folder and renamed over the old one,
    so a reader never sees a partial file. Raises ``ValueError`` for an empty tag,
    a tag with a comma or newline, or an unknown category, before writing anything.
    """

    path = Path(path)
    lines: list[str] = []
    for tag, category in rows:
        name = canonical_name(str(tag))
        if not name or "," in name or "\n" in name or name.startswith("#"):
            raise ValueError(f"cannot store tag {tag!r} in {path.name}")
        cat = category if isinstance(category, Category) else Category.parse(str(category))
        lines.append(f"{name},{cat.value}\n")
    header = _leading_comments(path) or DEFAULT_HEADER
    write_text_atomic(path, header + "".join(lines))


def _leading_comments(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
    block = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        block.append(line + "\n")
    return "".join(block)
