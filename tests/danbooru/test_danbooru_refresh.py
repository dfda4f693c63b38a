"""Refreshing the cache with new characters and series: paging, resuming, and what the knowledge base then knows."""

from __future__ import annotations

import json
from datetime import date

from danbooru_fake import Reply

from animagine_prompt.categories import Category
from animagine_prompt.danbooru import DanbooruCacheSource, load_cache, refresh
from animagine_prompt.tagdb import TagDBConfig, load_tagdb

SINCE = date(2025, 1, 1)
NEW_CHARACTERS = ["mira (example game)", "koharu (example game)", "nova (example game)"]


def _tag_pages(fake):
    return [r for r in fake.requests if r.path == "/tags.json"]


def test_refresh_adds_new_characters_and_series(fake, cache_path):
    steps: list[tuple[int, int, str]] = []

    report = refresh(fake.config(), cache_path, SINCE, lambda *a: steps.append(a), min_posts=50, page_size=2)

    assert report.complete and report.message is None
    assert report.added_names(4) == NEW_CHARACTERS  # newest first; the 7-post one is below the threshold
    assert report.added_names(3) == ["example game"]
    assert "3 new characters, 1 new series" in report.summary()
    # characters: 2 pages (2 + 1), series: 1 page
    assert report.pages == 3
    pages = _tag_pages(fake)
    assert [p.params["page"] for p in pages] == ["b2147483647", "b3000377", "b2147483647"]
    assert all(p.params["search[created_at]"] == ">2025-01-01" for p in pages)
    assert all(p.params["search[post_count]"] == ">=50" for p in pages)
    assert [p.params["search[category]"] for p in pages] == ["4", "4", "3"]
    assert steps[-1][:2] == (2, 2)
    assert all(total == 2 for _, total, _ in steps)
    state = json.loads(cache_path.read_text())["refresh"]
    assert state["complete"] is True


def test_interrupted_refresh_resumes_from_the_failed_page(fake, cache_path):
    # Page 2 of the characters fails with a server error.
    fake.intercept(lambda path, params: Reply(502, b"") if params.get("page") == "b3000377" else None)

    first = refresh(fake.config(), cache_path, SINCE, None, min_posts=50, page_size=2)

    assert not first.complete
    assert "HTTP 502" in first.message and "again" in first.message
    assert first.added_names() == NEW_CHARACTERS[:2]  # page 1 was kept
    assert set(load_cache(cache_path).data.entries) == {"mira_(example_game)", "koharu_(example_game)"}

    fake.interceptors.clear()
    fake.requests.clear()
    second = refresh(fake.config(), cache_path, SINCE, None, min_posts=50, page_size=2)

    assert second.complete and second.resumed
    assert [p.params["page"] for p in _tag_pages(fake)] == ["b3000377", "b2147483647"]  # page 2, not page 1
    assert second.added_names(4) == NEW_CHARACTERS  # the report covers the whole refresh
    assert second.added_names(3) == ["example game"]


def test_different_options_start_over(fake, cache_path):
    fake.intercept(lambda path, params: Reply(500, b"") if params.get("page") == "b3000377" else None)
    refresh(fake.config(), cache_path, SINCE, None, min_posts=50, page_size=2)
    fake.interceptors.clear()
    fake.requests.clear()

    report = refresh(fake.config(), cache_path, SINCE, None, min_posts=500, page_size=2)

    assert not report.resumed and report.complete
    assert _tag_pages(fake)[0].params["page"] == "b2147483647"


def test_full_sweep_catches_older_tags_and_skips_known_ones(fake, cache_path):
    known = {"hatsune miku", "vocaloid", "honkai: star rail"}

    report = refresh(fake.config(), cache_path, None, None, min_posts=1000, known=known.__contains__)

    assert "search[created_at]" not in _tag_pages(fake)[0].params
    assert report.added_names(4) == [
        "koharu (example game)",
        "firefly (honkai: star rail)",
        "kafka (honkai: star rail)",
    ]
    assert report.added_names(3) == ["example game"]
    source = DanbooruCacheSource(cache_path)
    assert source.get("hatsune miku") == ("hatsune miku", Category.CHARACTER)  # stored even if already known


def test_refresh_keeps_series_found_by_lookup(fake, cache_path):
    from animagine_prompt.danbooru import lookup

    lookup(fake.config(), cache_path, ["hatsune miku"])
    refresh(fake.config(), cache_path, None, None, min_posts=100)

    assert DanbooruCacheSource(cache_path).series("hatsune miku")[0] == "vocaloid"


def test_refresh_when_offline_reports_and_returns(cache_path):
    from animagine_prompt.danbooru import DanbooruConfig

    config = DanbooruConfig(enabled=True, base_url="http://127.0.0.1:9", timeout_s=0.5, min_interval_s=0)
    report = refresh(config, cache_path, SINCE, None)

    assert not report.complete and "Could not reach Danbooru" in report.message
    assert report.added == ()


def test_knowledge_base_resolves_refreshed_tags(fake, cache_path, tmp_path):
    tags_dir = cache_path.parent
    kgen = tmp_path / "kgen"
    kgen.mkdir()
    for name, lines in {
        "meta.txt": ["absurdres"],
        "artist.txt": ["wlop"],
        "copyrights.txt": ["vocaloid"],
        "characters.txt": ["hatsune_miku", "example_game"],  # a stale bulk list with a wrong category
    }.items():
        (kgen / name).write_text("\r\n".join(lines) + "\r\n")
    refresh(fake.config(), cache_path, SINCE, None, min_posts=50)
    (tags_dir / "user.csv").write_text("tag,category\nnova (example game),general\n")

    db = load_tagdb(
        TagDBConfig(
            tags_dir=tags_dir,
            tagcomplete_dirs=(),
            index_dir=tmp_path / "index",
            kgen_dir=kgen,
            extra_sources=(DanbooruCacheSource(cache_path),),
        )
    )

    koharu = db.lookup("Koharu_(Example_Game)")
    assert (koharu.name, koharu.category, koharu.source) == ("koharu (example game)", Category.CHARACTER, "danbooru")
    assert db.lookup(r"mira \(example game\)").category is Category.CHARACTER
    assert db.lookup("example game").category is Category.COPYRIGHT  # the cache outranks the bulk list
    assert db.lookup("nova (example game)").category is Category.GENERAL  # the user's override outranks the cache
    assert db.lookup("hatsune miku").category is Category.CHARACTER  # bulk list still answers the rest
    assert db.lookup("extra (example game)") is None  # below the post-count threshold
    assert any(s.name == "danbooru" and s.entries == 4 for s in db.sources)


def test_refresh_with_lookups_off_asks_nothing(fake, cache_path):
    report = refresh(fake.config(enabled=False), cache_path, SINCE, None)

    assert not report.complete
    assert report.message == "Danbooru lookups are off; turn them on in the Animagine settings."
    assert fake.requests == []


def test_unwritable_cache_is_a_message_not_a_crash(fake, tmp_path):
    blocker = tmp_path / "tags"
    blocker.write_text("a file where the folder should be")

    report = refresh(fake.config(), blocker / "danbooru-cache.json", SINCE, None, min_posts=50)

    assert not report.complete
    assert report.message.startswith("Could not write the Danbooru cache danbooru-cache.json")
