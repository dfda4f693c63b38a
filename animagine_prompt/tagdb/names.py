"""Plain character names as people type them (``makima``, ``miku``), and the tags they may mean.

The table is ``data/danbooru-character-names-2024-12-22.csv.gz`` (built by
``tags/build_character_names.py``: what counts as a name, and which names are left
out, is decided there). This module holds the rule for using it: a name is rewritten
only when one candidate clearly dominates; otherwise the user gets the candidates and
keeps what they wrote. Read on first use, so a WebUI start pays nothing for it.
"""

from __future__ import annotations

import csv
import gzip
import io
import threading
from dataclasses import dataclass
from pathlib import Path

from .keys import normalize_key

#: The most-posted candidate wins when it has at least this many times the runner-up's posts
#: (``miku``: hatsune miku 106,634 vs nakano miku 3,462); closer than that, nobody can tell.
MARGIN = 4
#: A character with fewer posts is barely known to the model, and such a name is more
#: often something else (Danbooru aliases ``loid`` to ``lloyd (mother)``, 89 posts):
#: its name is neither rewritten nor warned about.
MIN_POSTS = 100


@dataclass(frozen=True)
class NameMatch:
    """The character tags a plain name may mean, most-posted first, with their post counts."""

    name: str
    candidates: tuple[tuple[str, int], ...]

    @property
    def unique(self) -> str | None:
        """The one character this name means, or None when two are too close to call."""
        best, posts = self.candidates[0]
        if posts < MIN_POSTS:
            return None
        if len(self.candidates) == 1:
            return best
        return best if posts >= MARGIN * self.candidates[1][1] else None

    @property
    def ambiguous(self) -> bool:
        """Several well-known characters answer to this name: worth a warning."""
        return self.unique is None and self.candidates[0][1] >= MIN_POSTS


class CharacterNames:
    """The name table; thread-safe, loaded once on the first :meth:`match`."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        # name -> its candidates as one "tag\tposts\ttag\tposts" string: a third of the memory
        # of tuples, and only the names a prompt asks for are ever split.
        self._table: dict[str, str] | None = None
        self.problem: str | None = None

    def match(self, text: str) -> NameMatch | None:
        key = normalize_key(text)
        found = self._loaded().get(key)
        if not found:
            return None
        cells = found.split("\t")
        return NameMatch(key, tuple((cells[k], int(cells[k + 1])) for k in range(0, len(cells), 2)))

    def _loaded(self) -> dict[str, str]:
        table = self._table
        if table is None:
            with self._lock:
                if self._table is None:
                    self._table = self._read()
                table = self._table
        return table

    def _read(self) -> dict[str, str]:
        if self.path is None:
            return {}
        try:
            text = gzip.decompress(self.path.read_bytes()).decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
            self.problem = f"{self.path}: cannot read the character name table ({exc}); plain names stay as written"
            return {}
        table: dict[str, str] = {}
        for cells in csv.reader(io.StringIO(text)):
            if len(cells) == 3 and cells[2].isdigit() and "\t" not in cells[1]:
                entry = f"{cells[1]}\t{cells[2]}"
                table[cells[0]] = f"{table[cells[0]]}\t{entry}" if cells[0] in table else entry
        return table
