"""Characters without a qualifier get their series from our curated table, checked against the data."""

from __future__ import annotations

from pathlib import Path

import pytest

from animagine_prompt.categories import Category
from animagine_prompt.formatter import format_prompt
from animagine_prompt.presets import get_preset
from animagine_prompt.tagdb import TagDB
from animagine_prompt.tagdb.keys import qualifiers
from animagine_prompt.tagdb.series import load_character_series

TAGS = Path(__file__).resolve().parents[2] / "tags" / "curated"
TABLE = TAGS / "series" / "characters.csv"
V40 = get_preset("animagine-xl-4.0")


def test_every_row_is_a_known_character_and_series(db: TagDB) -> None:
    table = load_character_series(TABLE)
    assert table.messages == () and len(table.by_key) >= 340
    for character, series in table.by_key.items():
        info = db.lookup(character)
        assert info is not None and info.category is Category.CHARACTER, character
        assert qualifiers(character) == [], character  # qualified tags name their series already
        found = db.lookup(series)
        assert found is not None and found.category is Category.COPYRIGHT and found.name == series, series


@pytest.mark.parametrize(
    ("prompt", "start"),
    [
        ("hatsune miku, 1girl", "1girl, hatsune miku, vocaloid, "),
        ("Frieren, 1girl, smile", "1girl, frieren, sousou no frieren, smile, "),
        ("1girl, hakurei reimu, kirisame marisa", "1girl, hakurei reimu, touhou, kirisame marisa, "),
        ("monkey d. luffy, 1boy", "1boy, monkey d. luffy, one piece, "),
        ("Uzumaki Naruto, 1boy", "1boy, uzumaki naruto, naruto \\(series\\), "),
        ("kamado nezuko, 1girl", "1girl, kamado nezuko, kimetsu no yaiba, "),
        ("gojou satoru, 1boy", "1boy, gojou satoru, jujutsu kaisen, "),
    ],
)
def test_the_series_follows_its_character(db: TagDB, prompt: str, start: str) -> None:
    result = format_prompt(prompt, db=db, preset=V40)
    assert result.prompt.startswith(start)
    assert format_prompt(result.prompt, db=db, preset=V40).prompt == result.prompt


@pytest.mark.parametrize("series", ["sousou no frieren", "frieren: beyond journey's end", "(sousou no frieren:1.2)"])
def test_a_series_already_written_under_any_name_is_not_added_again(db: TagDB, series: str) -> None:
    result = format_prompt(f"frieren, {series}, 1girl", db=db, preset=V40)
    assert [c for c in result.changes if c.kind == "added" and c.reason.startswith("series")] == []
    assert result.prompt.count("frieren") == 2  # the character and one series


def test_luffy_gets_one_piece_once(db: TagDB) -> None:
    result = format_prompt("monkey d. luffy, 1boy", db=db, preset=V40)
    assert result.prompt.count("one piece") == 1
    crew = format_prompt("1boy, monkey d. luffy, roronoa zoro, one piece", db=db, preset=V40)
    assert crew.prompt.startswith("1boy, monkey d. luffy, roronoa zoro, one piece, ")  # written already: not added


@pytest.mark.parametrize(
    ("prompt", "series"),
    [
        ("kamado nezuko, demon slayer (series), 1girl", "kimetsu no yaiba"),
        ("kitagawa marin, my dress-up darling, 1girl", "sono bisque doll wa koi wo suru"),
        ("midoriya izuku, my hero academia, 1boy", "boku no hero academia"),
    ],
)
def test_a_new_series_written_under_its_alias_is_not_added_again(db: TagDB, prompt: str, series: str) -> None:
    result = format_prompt(prompt, db=db, preset=V40)
    assert [c for c in result.changes if c.kind == "added" and c.reason.startswith("series")] == []
    assert result.prompt.count(series) == 1


def test_each_series_is_listed_once_with_aliases_of_its_own(db: TagDB) -> None:
    listed = [line.split(",", 1)[0] for line in (TAGS / "series.csv").read_text(encoding="utf-8").splitlines()[1:]]
    listed = [tag for tag in listed if tag and not tag.startswith("#") and tag != "tag"]
    assert len(listed) == len(set(listed))
    assert set(load_character_series(TABLE).by_key.values()) == set(listed)  # no series missing, none spare


@pytest.mark.parametrize(
    ("prompt", "franchise", "series"),
    [
        ("higuchi madoka, idolmaster, 1girl", "idolmaster", "idolmaster shiny colors"),
        (r"tohsaka rin, fate \(series\), 1girl", r"fate \(series\)", "fate/stay night"),
        ("ash ketchum, pokemon, 1boy", "pokemon", r"pokemon \(anime\)"),
    ],
)
def test_a_written_franchise_counts_as_its_series(db: TagDB, prompt: str, franchise: str, series: str) -> None:
    result = format_prompt(prompt, db=db, preset=V40)
    assert franchise in result.prompt and series not in result.prompt
    alone = format_prompt(prompt.replace(f"{franchise}, ", ""), db=db, preset=V40)
    assert series in alone.prompt  # without the franchise the character still brings its series
