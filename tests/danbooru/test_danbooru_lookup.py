"""Looking up unknown tags: what the user sees, and what Danbooru is asked."""

from __future__ import annotations

import json

from animagine_prompt.categories import Category
from animagine_prompt.danbooru import DanbooruCacheSource, lookup


def test_found_character_gets_category_and_series(fake, cache_path):
    [result] = lookup(fake.config(), cache_path, ["Hatsune_Miku"])

    assert result.found and not result.message
    assert result.canonical == "hatsune miku"
    assert result.category is Category.CHARACTER
    assert result.series == ("vocaloid", "project diva (series)")
    assert "/related_tag.json" in fake.paths()
    related = next(r for r in fake.requests if r.path == "/related_tag.json")
    assert related.params == {"query": "hatsune_miku", "category": "copyright"}


def test_typed_spellings_reach_danbooru_as_its_names(fake, cache_path):
    [result] = lookup(fake.config(), cache_path, [r"Firefly \(Honkai: Star Rail\)"], with_series=False)

    assert result.canonical == "firefly (honkai: star rail)"
    assert fake.requests[0].params["search[name_comma]"] == "firefly_(honkai:_star_rail)"


def test_several_tags_share_one_request(fake, cache_path):
    results = lookup(fake.config(), cache_path, ["long hair", "wlop", "absurdres"], with_series=False)

    assert [(r.canonical, r.category) for r in results] == [
        ("long hair", Category.GENERAL),
        ("wlop", Category.ARTIST),
        ("absurdres", Category.META),
    ]
    assert fake.paths() == ["/tags.json"]


def test_alias_resolves_to_the_current_tag(fake, cache_path):
    # miku_hatsune exists on Danbooru as an empty tag; only its alias makes it meaningful.
    [result] = lookup(fake.config(), cache_path, ["miku hatsune"])

    assert result.found
    assert result.canonical == "hatsune miku"
    assert result.category is Category.CHARACTER
    assert result.entry.alias_of == "miku_hatsune"
    assert "alias" in result.describe()
    alias_query = next(r for r in fake.requests if r.path == "/tag_aliases.json")
    assert alias_query.params["search[antecedent_name]"] == "miku_hatsune"
    assert alias_query.params["search[status]"] == "active"


def test_inactive_alias_is_not_followed(fake, cache_path):
    [result] = lookup(fake.config(), cache_path, ["old spelling"])

    assert not result.found and not result.message


def test_not_found_is_remembered(fake, cache_path):
    [result] = lookup(fake.config(), cache_path, ["no such tag zzz"])
    assert not result.found and result.message is None
    assert "not a Danbooru tag" in result.describe()
    asked = len(fake.requests)

    [again] = lookup(fake.config(), cache_path, ["no such tag zzz"])
    assert again.from_cache and not again.found
    assert len(fake.requests) == asked  # not asked twice


def test_answers_land_in_the_cache_source(fake, cache_path):
    lookup(fake.config(), cache_path, ["miku_hatsune", "kafka (honkai star rail)"])
    source = DanbooruCacheSource(cache_path)

    assert source.get("miku hatsune") == ("hatsune miku", Category.CHARACTER)
    assert source.get("hatsune miku") == ("hatsune miku", Category.CHARACTER)
    assert source.get("kafka (honkai star rail)") == ("kafka (honkai: star rail)", Category.CHARACTER)
    assert source.series("hatsune miku") == ("vocaloid", "project diva (series)")
    assert source.get("no such tag") is None
    info = source.info()
    assert info.ok and info.entries >= 3 and info.name == "danbooru"
    saved = json.loads(cache_path.read_text())
    assert saved["entries"]["miku_hatsune"]["alias_of"] == "miku_hatsune"


def test_cached_answer_expires_after_ttl(fake, cache_path, clock):
    config = fake.config(ttl_days=30)
    lookup(config, cache_path, ["wlop", "gone tag"], now=clock, with_series=False)
    first = len(fake.requests)

    clock.advance_days(29)
    results = lookup(config, cache_path, ["wlop", "gone tag"], now=clock, with_series=False)
    assert all(r.from_cache for r in results)
    assert len(fake.requests) == first

    clock.advance_days(2)
    fake.tags.append({"id": 3100000, "name": "gone_tag", "post_count": 40, "category": 1})
    results = lookup(config, cache_path, ["wlop", "gone tag"], now=clock, with_series=False)
    assert not any(r.from_cache for r in results)
    assert len(fake.requests) > first
    assert results[1].found and results[1].category is Category.ARTIST  # the stale "not found" was replaced


def test_force_asks_again(fake, cache_path):
    lookup(fake.config(), cache_path, ["wlop"])
    before = len(fake.requests)
    [result] = lookup(fake.config(), cache_path, ["wlop"], force=True)
    assert not result.from_cache and len(fake.requests) > before


def test_disabled_config_makes_no_request(fake, cache_path):
    [result] = lookup(fake.config(enabled=False), cache_path, ["wlop"])

    assert not result.found
    assert "off" in result.message
    assert fake.requests == []
    assert not cache_path.exists()
