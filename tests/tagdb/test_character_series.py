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

TABLE = Path(__file__).resolve().parents[2] / "tags" / "curated" / "series" / "characters.csv"
V40 = get_preset("animagine-xl-4.0")


def test_every_row_is_a_known_character_and_series(db: TagDB) -> None:
    table = load_character_series(TABLE)
    assert table.messages == () and len(table.by_key) >= 80
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
