"""The cache file: survives corruption, writes atomically, and feeds the knowledge base without restarts."""

from __future__ import annotations

import json
import os

from danbooru_fake import Clock

from animagine_prompt.categories import Category
from animagine_prompt.danbooru import CacheEntry, CacheStore, DanbooruCacheSource, load_cache, lookup
from animagine_prompt.danbooru.cache import CacheData, save_cache

USER_CSV = "tag,category\nmy oc,character\n"


def test_corrupt_cache_is_moved_aside_and_lookups_go_on(fake, cache_path):
    cache_path.parent.mkdir(parents=True)
    cache_path.write_text('{"format": "sd-webui-animagine/danbooru-cache", "entries": {"trunc')
    user = cache_path.parent / "user.csv"
    user.write_text(USER_CSV)

    source = DanbooruCacheSource(cache_path)  # the generation path meets it first

    info = source.info()
    assert not info.ok
    assert "was unreadable" in info.problem and ".corrupt-" in info.problem
    assert source.get("wlop") is None
    aside = list(cache_path.parent.glob("danbooru-cache.json.corrupt-*"))
    assert len(aside) == 1 and "trunc" in aside[0].read_text()  # kept for the user, not deleted
    assert not cache_path.exists()

    [result] = lookup(fake.config(), cache_path, ["wlop"])
    assert result.found
    assert load_cache(cache_path).message is None
    assert user.read_text() == USER_CSV  # the overrides next door are never touched


def test_foreign_json_is_not_mistaken_for_a_cache(cache_path):
    cache_path.parent.mkdir(parents=True)
    cache_path.write_text(json.dumps([{"name": "x"}]))

    loaded = load_cache(cache_path, now=Clock(1_700_000_000))

    assert loaded.data.entries == {}
    assert "moved to danbooru-cache.json.corrupt-20231114T221320Z" in loaded.message


def test_bad_entries_are_skipped_not_fatal(cache_path):
    save_cache(cache_path, CacheData({"wlop": CacheEntry(fetched_at=1.0, name="wlop", category=1, post_count=9)}))
    doc = json.loads(cache_path.read_text())
    doc["entries"]["broken"] = {"name": 5}
    doc["entries"]["also_broken"] = "text"
    cache_path.write_text(json.dumps(doc))

    loaded = load_cache(cache_path)

    assert set(loaded.data.entries) == {"wlop"} and loaded.message is None


def test_missing_cache_is_empty_and_not_created(cache_path):
    source = DanbooruCacheSource(cache_path)
    assert source.get("wlop") is None and source.info().ok and source.info().entries == 0
    assert not cache_path.parent.exists()


def test_writes_are_atomic(cache_path, monkeypatch):
    store = CacheStore(cache_path)
    store.update({"wlop": CacheEntry(fetched_at=1.0, name="wlop", category=1, post_count=9)})
    before = cache_path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    try:
        store.update({"absurdres": CacheEntry(fetched_at=1.0, name="absurdres", category=5, post_count=9)})
    except OSError:
        pass
    monkeypatch.undo()

    assert cache_path.read_bytes() == before  # the old file is intact
    assert [p.name for p in cache_path.parent.iterdir()] == ["danbooru-cache.json"]  # no temp file left


def test_source_picks_up_new_answers_without_restart(fake, cache_path):
    ticks = [0.0]
    source = DanbooruCacheSource(cache_path, recheck_s=2.0, clock=lambda: ticks[0])
    assert source.get("wlop") is None

    lookup(fake.config(), cache_path, ["wlop"])
    assert source.get("wlop") is None  # still within the recheck interval: no disk access per lookup

    ticks[0] = 2.5
    assert source.get("wlop") == ("wlop", Category.ARTIST)


def test_expired_answers_are_still_served(cache_path):
    save_cache(cache_path, CacheData({"wlop": CacheEntry(fetched_at=0.0, name="wlop", category=1, post_count=9)}))
    # fetched in 1970: far past any ttl, yet a category does not go stale; only lookups re-ask.
    assert DanbooruCacheSource(cache_path).get("wlop") == ("wlop", Category.ARTIST)
