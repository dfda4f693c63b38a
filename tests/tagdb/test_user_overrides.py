"""The user's overrides file, as the UI's editor reads and writes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tagdb_helpers import REPO_TAGS

from animagine_prompt.categories import Category
from animagine_prompt.tagdb import read_user_overrides, write_user_overrides
from animagine_prompt.tagdb.user import parse_user_overrides


def test_round_trip_canonicalises_and_keeps_the_comment_block(tmp_path: Path) -> None:
    path = tmp_path / "user.csv"
    path.write_text("# my notes\n# second line\ntag,category\nold,general\n", encoding="utf-8")
    write_user_overrides(path, [("My_OC \\(Original\\)", Category.CHARACTER), ("cool series", "series")])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my notes\n# second line\n")
    assert "old,general" not in text
    assert read_user_overrides(path) == [
        ("my oc (original)", Category.CHARACTER),
        ("cool series", Category.COPYRIGHT),
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["user.csv"]  # no temporary file left behind


def test_new_file_gets_a_header(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "user.csv"
    write_user_overrides(path, [("^_^", Category.GENERAL)])
    assert path.read_text(encoding="utf-8").startswith("#")
    assert read_user_overrides(path) == [("^_^", Category.GENERAL)]


@pytest.mark.parametrize(
    "rows",
    [[("", Category.GENERAL)], [("a,b", Category.GENERAL)], [("fine", "not a category")], [("#x", Category.META)]],
)
def test_invalid_rows_are_refused_before_anything_is_written(tmp_path: Path, rows) -> None:
    path = tmp_path / "user.csv"
    path.write_text("keep,general\n", encoding="utf-8")
    with pytest.raises(ValueError):
        write_user_overrides(path, rows)
    assert path.read_text(encoding="utf-8") == "keep,general\n"


def test_missing_file_reads_as_empty(tmp_path: Path) -> None:
    assert read_user_overrides(tmp_path / "user.csv") == []


def test_the_shipped_example_parses_cleanly() -> None:
    parsed = parse_user_overrides(REPO_TAGS / "user.example.csv")
    assert parsed.messages == ()
    assert ("my original character", Category.CHARACTER) in parsed.rows


def test_user_csv_is_gitignored() -> None:
    ignore = (REPO_TAGS.parent / ".gitignore").read_text(encoding="utf-8").split()
    assert "tags/user.csv" in ignore
