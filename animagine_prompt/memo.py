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

_MISSING = object()


class ContentMemo(Generic[V]):
    """Least-recently-used memo, safe to share between the WebUI's threads."""

    __slots__ = ("_data", "_lock", "_size")

    def __init__(self, size: int) -> None:
        self._data: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._data.get(key, _MISSING)
            if value is _MISSING:
                return None
            self._data.move_to_end(key)
            return value  # type: ignore[return-value]

    def put(self, key: Hashable, value: V) -> V:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            if len(self._data) > self._size:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

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
