"""Every category resolves on real Danbooru tags, however the user spells them."""

from __future__ import annotations

from pathlib import Path

import pytest

from animagine_prompt.categories import Category
from animagine_prompt.tagdb import TagDB
from animagine_prompt.tagdb_protocol import TagInfo


@pytest.mark.parametrize(
    ("typed", "name", "category"),
    [
        ("hatsune_miku", "hatsune miku", Category.CHARACTER),
        ("vocaloid", "vocaloid", Category.COPYRIGHT),
        ("firefly (honkai: star rail)", "firefly (honkai: star rail)", Category.CHARACTER),
        ("honkai \\(series\\)", "honkai (series)", Category.COPYRIGHT),
        ("ciloranko", "ciloranko", Category.ARTIST),
        ("absurdres", "absurdres", Category.META),
        ("commentary request", "commentary request", Category.META),
        ("great score", "great score", Category.SCORE),
        ("year 2024", "year 2024", Category.YEAR),
        ("2girls", "2girls", Category.PEOPLE),
        ("questionable", "nsfw", Category.RATING),
        ("masterpiece", "masterpiece", Category.QUALITY),
    ],
)
def test_real_tags_resolve_to_their_category(db: TagDB, typed: str, name: str, category: Category) -> None:
    info = db.lookup(typed)
    assert info is not None, typed
    assert (info.name, info.category) == (name, category)


@pytest.mark.parametrize(
    "typed",
    [
        "firefly (honkai: star rail)",
        "firefly \\(honkai: star rail\\)",
        "Firefly_(Honkai:_Star_Rail)",
        "  firefly   (honkai: star rail) ",
        "FIREFLY_\\(HONKAI:_STAR_RAIL\\)",
    ],
)
def test_any_spelling_gives_the_canonical_name_with_bare_parentheses(db: TagDB, typed: str) -> None:
    info = db.lookup(typed)
    assert info is not None
    assert info.name == "firefly (honkai: star rail)"
    assert info.category is Category.CHARACTER


def test_bulk_tags_name_their_source(db: TagDB, tc_db: TagDB) -> None:
    assert db.lookup("ciloranko").source == "kgen"
    assert db.lookup("year 2024").source == "curated"
    assert tc_db.lookup("long_hair") == TagInfo("long hair", Category.GENERAL, "tagcomplete")


@pytest.mark.parametrize("face", ["^_^", ">_<", ";_;", "t_t", "|_|", "._.", ">_o", "o_o", "0_0", "@_@"])
def test_emoticons_keep_their_underscore(db: TagDB, face: str) -> None:
    info = db.lookup(face)
    assert info is not None
    assert info.name == face
    assert info.category is Category.GENERAL


@pytest.mark.parametrize(
    ("typed", "rating"),
    [
        ("general", "safe"),
        ("rating:general", "safe"),
        ("safe", "safe"),
        ("sensitive", "sensitive"),
        ("rating:sensitive", "sensitive"),
        ("questionable", "nsfw"),
        ("rating:questionable", "nsfw"),
        ("nsfw", "nsfw"),
        ("explicit", "explicit"),
        ("Rating:Explicit", "explicit"),
    ],
)
def test_danbooru_ratings_map_to_animagine_names(db: TagDB, typed: str, rating: str) -> None:
    info = db.lookup(typed)
    assert info is not None
    assert (info.name, info.category) == (rating, Category.RATING)


@pytest.mark.parametrize("letter", ["g", "s", "q", "e"])
def test_single_letters_are_not_ratings(db: TagDB, letter: str) -> None:
    info = db.lookup(letter)
    assert info is None or info.category is not Category.RATING


@pytest.mark.parametrize(
    "tag",
    [
        "1girl",
        "2girls",
        "5girls",
        "6+girls",
        "multiple girls",
        "1boy",
        "6+boys",
        "multiple boys",
        "1other",
        "3others",
        "6+others",
        "multiple others",
        "no humans",
    ],
)
def test_people_count_tags(db: TagDB, tag: str) -> None:
    info = db.lookup(tag)
    assert info is not None and info.category is Category.PEOPLE and info.name == tag


@pytest.mark.parametrize(
    ("tag", "category", "model"),
    [
        ("masterpiece", Category.QUALITY, None),
        ("best quality", Category.QUALITY, None),
        ("worst quality", Category.QUALITY, None),
        ("great quality", Category.QUALITY, "3.1"),
        ("normal quality", Category.QUALITY, "3.1"),
        ("very aesthetic", Category.QUALITY, "3.1"),
        ("very displeasing", Category.QUALITY, "3.1"),
        ("high score", Category.SCORE, "4.0"),
        ("low score", Category.SCORE, "4.0"),
        ("year 2005", Category.YEAR, "4.0"),
        ("year 2025", Category.YEAR, "4.0"),
        ("newest", Category.YEAR, "3.1"),
        ("oldest", Category.YEAR, "3.1"),
    ],
)
def test_animagine_special_tags_carry_their_model(db: TagDB, tag: str, category: Category, model: str | None) -> None:
    info = db.lookup(tag)
    assert info is not None
    assert (info.category, info.model) == (category, model)


def test_tagcomplete_aliases_resolve_to_the_real_tag(tc_db: TagDB) -> None:
    miku = tc_db.lookup("miku")
    assert miku is not None and (miku.name, miku.category) == ("hatsune miku", Category.CHARACTER)
    assert tc_db.lookup("longhair").name == "long hair"
    assert tc_db.lookup("^^").name == "^_^"
    # an alias whose tag we curate resolves to our entry, not the bulk one
    girls = tc_db.lookup("1girls")
    assert girls is not None and (girls.name, girls.category) == ("1girl", Category.PEOPLE)


@pytest.mark.parametrize("typed", ["", "   ", "definitely not a danbooru tag 12345", "___"])
def test_unknown_input_is_none(db: TagDB, typed: str) -> None:
    assert db.lookup(typed) is None


def test_repeated_lookups_return_the_same_answer(db: TagDB) -> None:
    first = db.lookup("Hatsune_Miku")
    assert db.lookup("Hatsune_Miku") == first == db.lookup("hatsune miku")


def test_sources_describe_every_layer(db: TagDB, tc_db: TagDB) -> None:
    kinds = {info.kind: info for info in db.sources}
    assert set(kinds) >= {"user", "curated", "kgen", "index"}
    assert kinds["kgen"].ok and kinds["kgen"].entries > 900_000
    assert kinds["index"].ok and kinds["index"].entries > 900_000
    assert kinds["curated"].ok and kinds["curated"].entries >= 90
    files = {Path(info.path).name: info for info in tc_db.sources if info.kind == "tagcomplete"}
    assert files["danbooru.csv"].ok and files["danbooru.csv"].entries >= 6
    assert not files["ponybooru.csv"].ok
    assert "e621.csv" not in files


def test_tagcomplete_problems_are_reported_by_file_and_line(tc_db: TagDB) -> None:
    assert any("danbooru.csv:6" in m for m in tc_db.messages), tc_db.messages
    assert any("ponybooru.csv:2" in m and "type id 7" in m for m in tc_db.messages), tc_db.messages
    assert tc_db.lookup("twilight sparkle") is None  # the rejected file contributed nothing
    assert tc_db.lookup("e621 only tag") is None  # e621 files are never read
    assert not any("e621" in m for m in tc_db.messages)
    assert tc_db.lookup("absurdres").category is Category.META  # lines after the broken one still count


def test_the_real_lists_load_without_complaint(db: TagDB) -> None:
    assert not [m for m in db.messages if "kgen" in m or "index" in m], db.messages
