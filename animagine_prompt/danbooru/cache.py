"""The local answer file: what Danbooru said about each tag, and where a refresh stopped.

Why a file and not memory: the knowledge base reads it as a source on the
generation path, which must never touch the network, and answers (including
"not found") should survive restarts so Danbooru is asked once per tag per
``ttl_days``. Writes are atomic (temp file + ``os.replace``) so a crash or a
concurrent reader never sees half a file; a file that does not parse is moved
aside, never deleted and never fatal.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..atomic import write_text_atomic

log = logging.getLogger(__name__)

FORMAT = "sd-webui-animagine/danbooru-cache"
VERSION = 1


@dataclass(frozen=True)
class CacheEntry:
    """Danbooru's answer for one name, as of ``fetched_at`` (Unix seconds).

    ``name`` is None when Danbooru has no such tag. ``alias_of`` is set on an
    entry reached through an alias: the name the user asked for. ``series``
    holds a character's most related copyrights, best first.
    """

    fetched_at: float
    name: str | None = None
    category: int | None = None
    post_count: int = 0
    alias_of: str | None = None
    series: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.name is not None

    def expired(self, now: float, ttl_days: float) -> bool:
        return now - self.fetched_at >= ttl_days * 86400

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fetched_at": _iso(self.fetched_at)}
        if self.name is None:
            out["found"] = False
            return out
        out.update(name=self.name, category=self.category, post_count=self.post_count)
        if self.alias_of:
            out["alias_of"] = self.alias_of
        if self.series:
            out["series"] = list(self.series)
        return out

    @classmethod
    def from_json(cls, data: Any) -> CacheEntry | None:
        """Parse one entry; None (skipped) when it is not recognisable."""
        if not isinstance(data, dict):
            return None
        fetched = _parse_iso(data.get("fetched_at"))
        if fetched is None:
            return None
        if data.get("found") is False:
            return cls(fetched_at=fetched)
        name, category = data.get("name"), data.get("category")
        if not isinstance(name, str) or not name or not isinstance(category, int):
            return None
        series = data.get("series") or ()
        alias = data.get("alias_of")
        count = data.get("post_count")
        return cls(
            fetched_at=fetched,
            name=name,
            category=category,
            post_count=count if isinstance(count, int) else 0,
            alias_of=alias if isinstance(alias, str) and alias else None,
            series=tuple(s for s in series if isinstance(s, str)) if isinstance(series, list) else (),
        )


@dataclass(frozen=True)
class RefreshState:
    """Where a refresh is: enough to continue it after an interruption.

    ``phase`` indexes the refresh's category list; ``before_id`` is the
    keyset cursor (smallest tag id already stored) within that phase.
    ``added`` accumulates the names that were new, so a resumed refresh still
    reports everything it added.
    """

    since: str | None
    min_posts: int
    phase: int = 0
    before_id: int | None = None
    pages: int = 0
    added: tuple[tuple[str, int], ...] = ()  # (canonical name, Danbooru category id)
    complete: bool = False
    updated_at: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "min_posts": self.min_posts,
            "phase": self.phase,
            "before_id": self.before_id,
            "pages": self.pages,
            "added": [[n, c] for n, c in self.added],
            "complete": self.complete,
            "updated_at": _iso(self.updated_at),
        }

    @classmethod
    def from_json(cls, data: Any) -> RefreshState | None:
        if not isinstance(data, dict) or not isinstance(data.get("min_posts"), int):
            return None
        since, before = data.get("since"), data.get("before_id")
        added = data.get("added") or []
        return cls(
            since=since if isinstance(since, str) else None,
            min_posts=data["min_posts"],
            phase=data.get("phase") if isinstance(data.get("phase"), int) else 0,
            before_id=before if isinstance(before, int) else None,
            pages=data.get("pages") if isinstance(data.get("pages"), int) else 0,
            added=tuple(
                (a[0], a[1])
                for a in (added if isinstance(added, list) else ())
                if isinstance(a, list) and len(a) == 2 and isinstance(a[0], str) and isinstance(a[1], int)
            ),
            complete=data.get("complete") is True,
            updated_at=_parse_iso(data.get("updated_at")) or 0.0,
        )


@dataclass(frozen=True)
class CacheData:
    """The whole file, keyed by Danbooru name (``to_danbooru`` of what was asked)."""

    entries: Mapping[str, CacheEntry] = field(default_factory=dict)
    refresh: RefreshState | None = None

    def with_entries(self, new: Mapping[str, CacheEntry]) -> CacheData:
        merged = dict(self.entries)
        merged.update(new)
        return replace(self, entries=merged)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "entries": {k: e.to_json() for k, e in sorted(self.entries.items())},
            "refresh": self.refresh.to_json() if self.refresh else None,
        }


@dataclass(frozen=True)
class LoadResult:
    data: CacheData
    message: str | None = None  # set when the file was unreadable and moved aside


def load_cache(path: Path, *, now: Callable[[], float] | None = None) -> LoadResult:
    """Read the cache; a missing file is an empty cache, a corrupt one is moved aside.

    Never raises for a bad file: the generation path reads this and must go on.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadResult(CacheData())
    except OSError as exc:
        return LoadResult(CacheData(), f"Could not read the Danbooru cache {path.name}: {exc.strerror}.")
    try:
        doc = json.loads(raw)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("entries"), dict):
            raise ValueError("not a Danbooru cache")
    except ValueError:
        return LoadResult(CacheData(), _move_aside(path, (now or utc_now)()))
    if doc.get("version") != VERSION:
        return LoadResult(CacheData(), f"The Danbooru cache {path.name} is from another version; it will be rebuilt.")
    entries = {}
    for key, value in doc["entries"].items():
        entry = CacheEntry.from_json(value)
        if isinstance(key, str) and entry is not None:
            entries[key] = entry
    return LoadResult(CacheData(entries, RefreshState.from_json(doc.get("refresh"))))


def save_cache(path: Path, data: CacheData) -> None:
    """Write atomically: a reader sees the old file or the new one, never a mix."""
    text = json.dumps(data.to_json(), ensure_ascii=False, separators=(",", ":"))
    write_text_atomic(Path(path), text, durable=True)


class _Keep:
    """Marker: leave the stored refresh state as it is."""


KEEP = _Keep


class CacheStore:
    """Read-modify-write of one cache file, serialised within this process.

    The tab, the CLI and :class:`BackgroundLookup` may write at once; each
    update re-reads the file under a lock so none loses another's answers.
    """

    def __init__(self, path: Path, *, now: Callable[[], float] | None = None) -> None:
        self.path = Path(path)
        self._now = now or utc_now
        self._lock = threading.Lock()

    def load(self) -> LoadResult:
        with self._lock:
            return load_cache(self.path, now=self._now)

    def update(
        self,
        entries: Mapping[str, CacheEntry] | Iterable[tuple[str, CacheEntry]] = (),
        refresh: RefreshState | None | type[_Keep] = _Keep,
        merge: Callable[[CacheEntry, CacheEntry], CacheEntry] | None = None,
    ) -> CacheData:
        """Merge ``entries``, replace the refresh state when one is given, and save.

        ``merge(old, new)`` decides what is stored when a name is already there.
        """
        with self._lock:
            current = load_cache(self.path, now=self._now).data
            new = dict(entries)
            if merge is not None:
                new = {k: merge(current.entries[k], e) if k in current.entries else e for k, e in new.items()}
            data = current.with_entries(new)
            if refresh is not _Keep:
                data = replace(data, refresh=refresh)  # type: ignore[arg-type]
            save_cache(self.path, data)
            return data


def _move_aside(path: Path, now: float) -> str:
    stamp = datetime.fromtimestamp(now, tz=timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    try:
        os.replace(path, target)
    except OSError:
        log.warning("Danbooru cache %s is unreadable and could not be moved aside", path)
        return f"The Danbooru cache {path.name} is unreadable and could not be moved aside; it is ignored."
    log.warning("Danbooru cache %s was unreadable; moved to %s", path, target.name)
    return f"The Danbooru cache {path.name} was unreadable; it was moved to {target.name} and a new one is started."


def utc_now() -> float:
    return datetime.now(tz=timezone.utc).timestamp()


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_iso(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()
