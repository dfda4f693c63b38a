"""The Danbooru cache as a knowledge-base source: a file read, never a request.

This is the only piece of the Danbooru helper on the generation path, and it
deliberately knows nothing about the network: it loads the cache file into
memory and answers from there. When a lookup or refresh rewrites the file,
the next ``get`` after ``recheck_s`` notices the new modification time and
reloads, so answers learnt in the tab apply to the next generation without a
restart. Expired answers are still served: a tag's category practically never
changes, and dropping it after ``ttl_days`` would silently reorder prompts;
expiry only decides when a lookup asks Danbooru again.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..categories import Category
from ..tagdb.keys import normalize_key
from ..tagdb.sources import SourceInfo
from .cache import CacheData, load_cache
from .names import CATEGORY_BY_ID, to_canonical

SOURCE_NAME = "danbooru"


@dataclass(frozen=True)
class _Index:
    """An immutable snapshot, swapped whole on reload so readers on other threads never see a half-built one."""

    tags: dict[str, tuple[str, Category]]
    series: dict[str, tuple[str, ...]]
    stamp: tuple[int, int] | None
    problem: str | None


class DanbooruCacheSource:
    """Implements the knowledge base's ``TagSource`` over ``tags/danbooru-cache.json``."""

    def __init__(
        self,
        path: Path,
        *,
        recheck_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self._recheck_s = recheck_s
        self._clock = clock
        self._lock = threading.Lock()
        self._checked = clock()
        self._index = self._build()

    @property
    def name(self) -> str:
        return SOURCE_NAME

    def get(self, key: str) -> tuple[str, Category] | None:
        """Canonical spelling and category for a normalised key, from memory."""
        self._maybe_reload()
        return self._index.tags.get(key)

    def series(self, key: str) -> tuple[str, ...]:
        """The series Danbooru relates to a character (canonical names, best first); empty when unknown."""
        self._maybe_reload()
        return self._index.series.get(key, ())

    def info(self) -> SourceInfo:
        index = self._index
        return SourceInfo(
            name=SOURCE_NAME,
            kind="danbooru-cache",
            path=str(self.path),
            entries=len(index.tags),
            ok=index.problem is None,
            problem=index.problem,
        )

    def reload(self) -> None:
        """Re-read the file now (after a lookup in this process, so the answer shows at once)."""
        with self._lock:
            self._checked = self._clock()
            self._index = self._build()

    def _maybe_reload(self) -> None:
        if self._clock() - self._checked < self._recheck_s:
            return
        with self._lock:
            if self._clock() - self._checked < self._recheck_s:
                return
            self._checked = self._clock()
            if _stamp(self.path) != self._index.stamp:
                self._index = self._build()

    def _build(self) -> _Index:
        stamp = _stamp(self.path)
        loaded = load_cache(self.path)
        return _index(loaded.data, stamp, loaded.message)


def _index(data: CacheData, stamp: tuple[int, int] | None, problem: str | None) -> _Index:
    tags: dict[str, tuple[str, Category]] = {}
    series: dict[str, tuple[str, ...]] = {}
    for name, entry in data.entries.items():
        if not entry.found or entry.category not in CATEGORY_BY_ID:
            continue
        answer = (to_canonical(entry.name), CATEGORY_BY_ID[entry.category])  # type: ignore[arg-type]
        for key in {normalize_key(name), normalize_key(entry.name)}:  # type: ignore[arg-type]
            tags.setdefault(key, answer)
            if entry.series:
                series.setdefault(key, tuple(to_canonical(s) for s in entry.series))
    return _Index(tags, series, stamp, problem)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)
