"""series_for_character, complete and suggest: what the builder and lint show the user."""

from __future__ import annotations

import pytest

from animagine_prompt.categories import Category
from animagine_prompt.tagdb import TagDB


@pytest.mark.parametrize(
    ("character", "series"),
    [
        ("makima (chainsaw man)", "chainsaw man"),
        ("makima \\(chainsaw man\\)", "chainsaw man"),
        ("firefly (honkai: star rail)", "honkai: star rail"),
        ("Firefly_(Honkai:_Star_Rail)", "honkai: star rail"),
        ("saber (fate)", "fate (series)"),
        ("hoshimachi suisei (1st costume)", None),
        ("hoshimachi suisei (old design) (dress-up ver.)", None),
        ("hatsune miku", "vocaloid"),  # no qualifier: our curated table
        ("", None),
    ],
)
def test_series_for_character(db: TagDB, character: str, series: str | None) -> None:
    assert db.series_for_character(character) == series


def test_complete_puts_the_exact_match_first_and_respects_limit(db: TagDB) -> None:
    found = db.complete("hatsune miku", limit=5)
    assert found[0].name == "hatsune miku"
    assert len(found) == 5
    assert all(info.name.startswith("hatsune miku") for info in found)


def test_complete_accepts_typed_spellings(db: TagDB) -> None:
    names = [info.name for info in db.complete("Firefly_\\(Honkai", limit=50)]
    assert "firefly (honkai: star rail)" in names


def test_complete_filters_by_category(db: TagDB) -> None:
    found = db.complete("chainsaw", categories={Category.CHARACTER}, limit=20)
    assert found and all(info.category is Category.CHARACTER for info in found)
    assert "chainsaw man" not in [info.name for info in found]
    series = db.complete("chainsaw", categories=[Category.COPYRIGHT], limit=20)
    assert "chainsaw man" in [info.name for info in series]


def test_complete_finds_curated_tags(db: TagDB) -> None:
    names = [info.name for info in db.complete("year 20", categories={Category.YEAR}, limit=30)]
    assert {"year 2005", "year 2024", "year 2025"} <= set(names)


def test_complete_maps_aliases_to_the_real_tag(tc_db: TagDB) -> None:
    found = tc_db.complete("mik", categories={Category.CHARACTER})
    assert [info.name for info in found] == ["hatsune miku"]


def test_complete_of_nothing_is_empty(db: TagDB) -> None:
    assert db.complete("") == []
    assert db.complete("   ") == []
    assert db.complete("zzzzqqqq no such prefix") == []


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("hatsune mku", "hatsune miku"),
        ("hatsnue_miku", "hatsune miku"),
        ("chainsaw mna", "chainsaw man"),
        ("ciloranco", "ciloranko"),
        ("masterpeice", "masterpiece"),
        ("great scroe", "great score"),
    ],
)
def test_suggest_finds_the_intended_tag(db: TagDB, typo: str, expected: str) -> None:
    assert expected in db.suggest(typo, limit=3)


def test_suggest_limits_and_ranks(db: TagDB) -> None:
    found = db.suggest("hatsune mku", limit=2)
    assert len(found) <= 2 and found[0] == "hatsune miku"
    assert db.suggest("") == []
    assert db.suggest("qqqqqqqqqqqqqqqqqqqq") == []


def test_suggest_uses_tagcomplete_general_tags(tc_db: TagDB) -> None:
    assert tc_db.suggest("long hiar") == ["long hair"]
