"""Tags we curate ourselves: Animagine's special tags and Danbooru's conventions.

They live in ``tags/curated/*.csv`` (columns ``tag,category[,model][,aliases]``)
so each one can be reviewed against its source; here they become a plain dict,
small enough to check before any bulk source on every lookup.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ..tagdb_protocol import TagInfo
from .csvfiles import CsvProblem, iter_rows, parse_category
from .keys import canonical_name, normalize_key
from .sources import SOURCE_CURATED, SourceInfo

#: Animagine versions, and "pony" for Pony Diffusion vocabulary neither version knows.
MODELS = ("4.0", "3.1", "pony")


class Curated(NamedTuple):
    """Curated tags by key (aliases included), with what the panel should show."""

    by_key: dict[str, TagInfo]
    info: SourceInfo
    messages: tuple[str, ...]


def load_curated(curated_dir: Path) -> Curated:
    """Read every ``*.csv`` in ``curated_dir``; bad lines are skipped and reported."""
    by_key: dict[str, TagInfo] = {}
    aliases: dict[str, TagInfo] = {}
    messages: list[str] = []
    tags = 0
    files = sorted(curated_dir.glob("*.csv")) if curated_dir.is_dir() else []
    if not files:
        problem = f"no curated tag files in {curated_dir}"
        return Curated({}, SourceInfo("curated tags", SOURCE_CURATED, str(curated_dir), 0, False, problem), (problem,))
    for path in files:
        try:
            for number, cells in iter_rows(path, "tag"):
                where = f"{path}:{number}"
                try:
                    info, alias_keys = _parse_row(cells, where)
                except CsvProblem as exc:
                    messages.append(str(exc))
                    continue
                key = normalize_key(info.name)
                if key in by_key:
                    messages.append(f"{where}: {info.name!r} is listed twice; keeping the first")
                    continue
                by_key[key] = info
                tags += 1
                for alias in alias_keys:
                    aliases.setdefault(alias, info)
        except (OSError, UnicodeDecodeError) as exc:
            messages.append(f"{path}: cannot read curated tags ({exc})")
    for alias, info in aliases.items():
        by_key.setdefault(alias, info)  # a real curated tag beats an alias spelled the same
    problem = f"{len(messages)} problem(s); first: {messages[0]}" if messages else None
    info = SourceInfo("curated tags", SOURCE_CURATED, str(curated_dir), tags, True, problem)
    return Curated(by_key, info, tuple(messages))


def _parse_row(cells: list[str], where: str) -> tuple[TagInfo, list[str]]:
    if len(cells) < 2 or not cells[0] or not cells[1]:
        raise CsvProblem(f"{where}: expected 'tag,category[,model][,aliases]'")
    category = parse_category(cells[1], where)
    model = cells[2] if len(cells) > 2 and cells[2] else None
    if model is not None and model not in MODELS:
        raise CsvProblem(f"{where}: unknown model {model!r} (expected {' or '.join(MODELS)} or empty)")
    alias_keys = []
    for extra in cells[3:]:
        alias_keys += [normalize_key(a) for a in extra.split(",") if a.strip()]
    return TagInfo(canonical_name(cells[0]), category, SOURCE_CURATED, model), alias_keys
