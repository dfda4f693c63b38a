"""Bounded memos keyed by content, shared by the engine's stages.

``functools.lru_cache`` keys on the arguments themselves, so a memo over a knowledge base
would hold every database it ever met (and a reloaded one would look new only by identity).
These memos take the key the caller builds from values, the knowledge base's ``revision``
among them, and never see the database itself: a changed source gets new keys at once, and a
dropped database is freed with nothing here pointing at it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ContentMemo(Generic[V]):
    """Least-recently-used memo, safe to share between the WebUI's threads.

    ``max_weight`` bounds what the kept values hold as well as how many there are (each
    ``put`` says its value's weight): the garbage collector walks every object a memo keeps
    alive, so 512 results of 500 tags each would make each full collection of the host's
    process a tenth of a second longer.
    """

    __slots__ = ("_data", "_lock", "_size", "_max_weight", "_weight")

    def __init__(self, size: int, max_weight: int | None = None) -> None:
        self._data: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size
        self._max_weight = max_weight
        self._weight = 0

    def get(self, key: Hashable) -> V | None:
        # No lock on the hot path: each OrderedDict call is one atomic step under the GIL, and a
        # key a writer evicts between the two steps is simply a miss-to-be.
        entry = self._data.get(key)
        if entry is None:
            return None
        try:
            self._data.move_to_end(key)
        except KeyError:
            pass
        return entry[0]

    def put(self, key: Hashable, value: V, weight: int = 1) -> V:
        if self._max_weight is not None and weight > self._max_weight:
            return value  # larger than the whole budget: not kept
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            self._data[key] = (value, weight)
            self._weight += weight
            while len(self._data) > self._size or (
                self._max_weight is not None and self._weight > self._max_weight
            ):
                _, (_, dropped) = self._data.popitem(last=False)
                self._weight -= dropped
        return value

    def __len__(self) -> int:
        return len(self._data)


def revision_of(db: object) -> str | None:
    """The content revision a knowledge base names, or None when it names none.

    Equal revisions promise equal answers to every lookup. A table without one (a test's, a
    caller's own source) is asked afresh each time: no memo can know when it changes.
    """
    revision = getattr(db, "revision", None)
    return revision if isinstance(revision, str) else None


def is_stale(db: object) -> bool:
    """Whether a loaded knowledge base was read from files that have changed since; a table that
    cannot tell (a test's, the empty fallback) never is."""
    changed = getattr(db, "changed_on_disk", None)
    return bool(changed()) if callable(changed) else False
