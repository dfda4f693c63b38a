"""Bring the local cache up to date with characters and series Danbooru gained since the bundled lists.

Why keyset paging and a stored cursor: a full pass is tens of requests at one
per second, long enough to be interrupted (closed tab, lost network, Ctrl-C).
After every page the new tags *and* the cursor are saved together, so the next
``refresh`` with the same parameters continues from the page that failed
instead of starting over, and the final report still lists everything added.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from .cache import CacheEntry, CacheStore, RefreshState, utc_now
from .client import CHARACTER, COPYRIGHT, MAX_LIMIT, DanbooruClient
from .config import DanbooruConfig
from .errors import DanbooruError
from .names import to_canonical

log = logging.getLogger(__name__)

#: Refresh order: (Danbooru category id, plural label for progress messages).
PHASES: tuple[tuple[int, str], ...] = ((CHARACTER, "characters"), (COPYRIGHT, "series"))

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class RefreshReport:
    """What a refresh did.

    ``added`` holds canonical names new to the cache (and, when ``known`` was
    given, unknown to the knowledge base), per Danbooru category id.
    ``complete`` is False when it stopped early; ``message`` then says why,
    and running the same refresh again resumes it.
    """

    added: tuple[tuple[str, int], ...]
    fetched: int
    pages: int
    complete: bool
    resumed: bool = False
    message: str | None = None

    def added_names(self, category: int | None = None) -> list[str]:
        return [n for n, c in self.added if category is None or c == category]

    def summary(self) -> str:
        chars, series = len(self.added_names(CHARACTER)), len(self.added_names(COPYRIGHT))
        head = "Refresh resumed and " if self.resumed else "Refresh "
        state = "finished" if self.complete else "stopped early"
        text = f"{head}{state}: {self.fetched:,} tags read in {self.pages} pages"
        text += f"; {chars} new characters, {series} new series."
        return text + (f" {self.message}" if self.message else "")


def refresh(
    config: DanbooruConfig,
    cache_path: Path,
    since: date | None,
    progress: Progress | None = None,
    *,
    min_posts: int | None = None,
    known: Callable[[str], bool] | None = None,
    client: DanbooruClient | None = None,
    page_size: int = MAX_LIMIT,
    now: Callable[[], float] = utc_now,
) -> RefreshReport:
    """Download character and copyright tags with at least ``min_posts`` posts into the cache.

    ``since`` limits it to tags created after that date (the bundled lists'
    date); None walks every tag above the threshold, which also catches older
    tags that only recently grew past it. ``progress(step, steps, message)``
    is called after each page (step = current phase, 1-based, of ``steps``).
    ``known(canonical)`` lets the caller leave names the knowledge base
    already has out of ``added``. Network trouble ends the run with
    ``complete=False`` and a message, never an exception.
    """
    min_posts = config.min_post_count if min_posts is None else min_posts
    since_text = since.isoformat() if since else None
    store = CacheStore(cache_path, now=now)
    stored = store.load().data
    previous = stored.refresh
    resumed = previous is not None and not previous.complete and (previous.since, previous.min_posts) == (
        since_text,
        min_posts,
    )
    state = previous if resumed else RefreshState(since=since_text, min_posts=min_posts)
    assert state is not None
    had = {k for k, e in stored.entries.items() if e.found}
    fetched = 0
    own_client = client is None
    try:
        if own_client:
            client = DanbooruClient(config)
        while state.phase < len(PHASES):
            category, label = PHASES[state.phase]
            records = client.tags_page(  # type: ignore[union-attr]
                category,
                min_posts=min_posts,
                created_after=since_text,
                before_id=state.before_id,
                limit=page_size,
            )
            usable = [r for r in records if _usable(r, category)]
            t_now = now()
            entries = {
                r["name"]: CacheEntry(fetched_at=t_now, name=r["name"], category=category, post_count=r["post_count"])
                for r in usable
            }
            new = [
                (to_canonical(name), category)
                for name in entries
                if name not in had and not (known and known(to_canonical(name)))
            ]
            had.update(entries)
            fetched += len(usable)
            ids = [r["id"] for r in records if isinstance(r.get("id"), int)]
            last_page = len(records) < page_size or not ids
            state = replace(
                state,
                phase=state.phase + 1 if last_page else state.phase,
                before_id=None if last_page else min(ids),
                pages=state.pages + 1,
                added=state.added + tuple(new),
                updated_at=t_now,
            )
            store.update(entries, refresh=state, merge=_keep_series)
            if progress:
                step = min(state.phase + (0 if last_page else 1), len(PHASES))
                progress(step, len(PHASES), f"{label}: page {state.pages}, {len(state.added)} new so far")
        state = replace(state, complete=True, updated_at=now())
        store.update({}, refresh=state)
        message = None
    except DanbooruError as exc:
        log.info("Danbooru refresh stopped at phase %d, cursor %s: %s", state.phase, state.before_id, exc.message)
        message = exc.message
        if exc.kind not in ("config", "disabled"):
            message += " Run the refresh again to continue where it stopped."
    except OSError as exc:
        message = f"Could not write the Danbooru cache {Path(cache_path).name}: {exc.strerror or exc}."
    finally:
        if own_client and client is not None:
            client.close()
    return RefreshReport(
        added=state.added,
        fetched=fetched,
        pages=state.pages,
        complete=state.complete,
        resumed=resumed,
        message=message,
    )


def _usable(record: dict[str, Any], category: int) -> bool:
    return (
        isinstance(record.get("name"), str)
        and bool(record["name"])
        and record.get("category") == category
        and isinstance(record.get("post_count"), int)
    )


def _keep_series(old: CacheEntry, new: CacheEntry) -> CacheEntry:
    """Keep the series a lookup already found for a character; a tag list does not carry it."""
    return replace(new, series=old.series) if old.series and not new.series else new
