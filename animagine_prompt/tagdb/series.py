"""Our curated character -> series table (``tags/curated/series/characters.csv``).

A character tag's qualifier usually names its series (``makima (chainsaw man)``), but the
most-drawn characters have none (``hatsune miku``, ``frieren``), and the model card's
template wants the series right after the character. Danbooru's tag lists do not link
the two, so the table is written by us and checked against the tag data by the tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from .csvfiles import iter_rows
from .keys import canonical_name, normalize_key


class CharacterSeries(NamedTuple):
    by_key: dict[str, str]  # character key -> series canonical name
    messages: tuple[str, ...]


def load_character_series(path: Path) -> CharacterSeries:
    """Rows ``character,series``; a missing file is an empty table, bad lines are reported."""
    table: dict[str, str] = {}
    messages: list[str] = []
    try:
        for number, cells in iter_rows(path, "character"):
            if len(cells) != 2 or not cells[0] or not cells[1]:
                messages.append(f"{path}:{number}: expected 'character,series'")
                continue
            table.setdefault(normalize_key(cells[0]), canonical_name(cells[1]))
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        messages.append(f"{path}: cannot read the character series table ({exc})")
    return CharacterSeries(table, tuple(messages))
