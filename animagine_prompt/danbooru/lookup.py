"""Explicit lookups: ask Danbooru about tags the knowledge base does not know, remember the answers.

Called only from places where the user asked for it or where waiting is fine
(the tab, the formatter preview, the CLI, :class:`BackgroundLookup`'s thread);
the generation path only ever reads the cache these write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..categories import Category
from .cache import CacheEntry, CacheStore, utc_now
from .client import CHARACTER, DanbooruClient
from .config import DanbooruConfig
from .errors import DanbooruError
from .names import CATEGORY_BY_ID, to_canonical, to_danbooru

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LookupResult:
    """The answer for one tag as the user typed it.

    ``entry`` is None only when the lookup failed before an answer came;
    then ``message`` says why. ``from_cache`` tells the UI whether Danbooru
    was actually asked.
    """

    query: str
    key: str
    entry: CacheEntry | None = None
    from_cache: bool = False
    message: str | None = None

    @property
    def found(self) -> bool:
        return self.entry is not None and self.entry.found

    @property
    def canonical(self) -> str | None:
        return to_canonical(self.entry.name) if self.entry and self.entry.name else None

    @property
    def category(self) -> Category | None:
        if not self.entry or self.entry.category is None:
            return None
        return CATEGORY_BY_ID.get(self.entry.category)

    @property
    def series(self) -> tuple[str, ...]:
        return tuple(to_canonical(s) for s in self.entry.series) if self.entry else ()

    def describe(self) -> str:
        """One line for the CLI or the tab."""
        if self.message:
            return self.message
        if not self.found:
            return f"{self.query}: not a Danbooru tag."
        category = self.category.value if self.category else f"category {self.entry.category}"  # type: ignore[union-attr]
        text = f"{self.canonical} ({category}, {self.entry.post_count:,} posts)"  # type: ignore[union-attr]
        if self.entry.alias_of:  # type: ignore[union-attr]
            text = f"{self.query} → {text} (Danbooru alias)"
        if self.series:
            text += f"; series: {', '.join(self.series)}"
        return text + (" [cached]" if self.from_cache else "")


def lookup(
    config: DanbooruConfig,
    cache_path: Path,
    tags: Iterable[str],
    *,
    client: DanbooruClient | None = None,
    store: CacheStore | None = None,
    now: Callable[[], float] = utc_now,
    with_series: bool = True,
    force: bool = False,
) -> list[LookupResult]:
    """Resolve ``tags`` through the cache, asking Danbooru only for missing or expired answers.

    Never raises for network trouble: the affected results carry ``message``
    and whatever was learnt before the failure is still saved.
    A disabled or invalid config also comes back as messages.
    """
    queries = [(t, to_danbooru(t)) for t in tags]
    queries = [(t, k) for t, k in queries if k]
    store = store or CacheStore(cache_path, now=now)
    cached = store.load().data.entries
    t_now = now()
    fresh = {
        k: cached[k]
        for _, k in queries
        if k in cached and not force and not cached[k].expired(t_now, config.ttl_days)
    }
    wanted = list(dict.fromkeys(k for _, k in queries if k not in fresh))
    learnt: dict[str, CacheEntry] = {}
    error: str | None = None
    if wanted:
        own_client = client is None
        try:
            if own_client:
                client = DanbooruClient(config)
            _ask(client, wanted, t_now, with_series, learnt)  # type: ignore[arg-type]
        except DanbooruError as exc:
            error = exc.message
        finally:
            if own_client and client is not None:
                client.close()
        if learnt:
            try:
                store.update(learnt)
            except OSError as exc:  # the answers are still shown; they are just not remembered
                log.warning("Could not save the Danbooru cache %s: %s", store.path, exc.strerror)
    results = []
    for query, key in queries:
        if key in fresh:
            results.append(LookupResult(query, key, fresh[key], from_cache=True))
        elif key in learnt:
            results.append(LookupResult(query, key, learnt[key]))
        else:
            results.append(LookupResult(query, key, message=f"{query}: {error or 'no answer from Danbooru.'}"))
    return results


def _ask(client: DanbooruClient, keys: list[str], now: float, with_series: bool, out: dict[str, CacheEntry]) -> None:
    """Fill ``out`` step by step, so a failure half-way keeps what was already answered.

    Categories come first; a character's series (one more request each) is
    added last, so a timeout there costs only the series, not the answer.
    """
    records = {r["name"]: r for r in client.tags_named(keys) if _usable(r)}
    for key in keys:
        if key in records:
            out[key] = _entry(records[key], now)
    for key in keys:
        if key in out:
            continue
        target = client.active_alias(key)
        record = None
        if target:
            record = next((r for r in client.tags_named([target]) if _usable(r) and r["name"] == target), None)
        if record is None:
            out[key] = CacheEntry(fetched_at=now)
            continue
        out[record["name"]] = _entry(record, now)
        out[key] = replace(_entry(record, now), alias_of=key)
    if not with_series:
        return
    characters = sorted({e.name for e in out.values() if e.found and e.category == CHARACTER})  # type: ignore[misc]
    for name in characters:
        series = tuple(client.related_copyrights(name))
        for key, entry in list(out.items()):
            if entry.name == name:
                out[key] = replace(entry, series=series)


def _usable(record: dict[str, Any]) -> bool:
    """A real tag: named, categorised, and used at least once (empty tags are usually dead spellings)."""
    return (
        isinstance(record.get("name"), str)
        and isinstance(record.get("category"), int)
        and isinstance(record.get("post_count"), int)
        and record["post_count"] > 0
    )


def _entry(record: dict[str, Any], now: float) -> CacheEntry:
    return CacheEntry(fetched_at=now, name=record["name"], category=record["category"], post_count=record["post_count"])
