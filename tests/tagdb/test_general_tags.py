"""Danbooru's general tags, shipped with the package: spelling, aliases, did-you-mean, the CLI."""

from __future__ import annotations

import gzip
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from animagine_prompt.categories import Category
from animagine_prompt.formatter import format_prompt
from animagine_prompt.presets import get_preset
from animagine_prompt.tagdb import TagDB
from animagine_prompt.tagdb.config import BUNDLED_GENERAL

REPO = Path(__file__).resolve().parents[2]
ARCHIVE = Path("/work/.mirror/DraconicDragon+dbr-e621-lists-archive/repo")
V40 = get_preset("animagine-xl-4.0")


@pytest.mark.parametrize("typed", ["long_hair", "long hair", "Long_Hair", "longhair"])
def test_general_tags_and_their_aliases_resolve_to_danbooru_spelling(db: TagDB, typed: str) -> None:
    info = db.lookup(typed)
    assert info is not None
    assert (info.name, info.category, info.source) == ("long hair", Category.GENERAL, "danbooru")


@pytest.mark.parametrize(
    ("typed", "name"),
    [("smiling", "smile"), ("looking_at_viewer", "looking at viewer"), ("cheongsam", "china dress")],
)
def test_danbooru_aliases_of_general_tags_give_the_tag_the_model_learned(db: TagDB, typed: str, name: str) -> None:
    assert db.lookup(typed).name == name


@pytest.mark.parametrize("word", ["text", "/lh"])
def test_aliases_deleted_for_another_meaning_and_shortcuts_are_not_applied(db: TagDB, word: str) -> None:
    # Danbooru deleted "text -> text focus": text on an image is not a picture about text.
    out = format_prompt(f"1girl, {word}", db=db, preset=V40).prompt
    assert out.startswith(f"1girl, {word}, masterpiece")


def test_the_model_cards_negative_prompt_is_injected_as_written(db: TagDB) -> None:
    # "error" is an alias of "artistic error" since 2023, but the card writes "error".
    assert format_prompt("1girl", db=db, preset=V40).negative_prompt == V40.negative_prompt


def test_characters_stay_characters_beside_the_general_tags(db: TagDB) -> None:
    assert db.lookup("hatsune_miku").category is Category.CHARACTER
    assert db.lookup("1girl").category is Category.PEOPLE  # curated beats the bundled general entry


def test_typos_of_general_tags_get_did_you_mean_fixes(db: TagDB) -> None:
    result = format_prompt("1girl, smlie, long hiar", db=db, preset=V40)
    fixes = {w.subject: w.suggestion for w in result.warnings if w.code == "unknown-tag"}
    assert fixes == {"smlie": "smile", "long hiar": "long hair"}


def test_the_common_tag_wins_a_near_tie(db: TagDB) -> None:
    assert db.suggest("smlie")[0] == "smile"


def test_general_tags_are_respelled_in_the_prompt(db: TagDB) -> None:
    out = format_prompt("longhair, Smile, 1girl", db=db, preset=V40).prompt
    assert out.startswith("1girl, long hair, smile, masterpiece")


def test_the_panel_lists_the_bundled_snapshot(db: TagDB) -> None:
    info = next(s for s in db.sources if s.kind == "danbooru")
    assert info.ok and info.entries > 30_000 and info.path == str(BUNDLED_GENERAL)


def test_cli_lookup_prints_the_canonical_tag(db: TagDB) -> None:
    index_parent = Path(next(s.path for s in db.sources if s.kind == "index")).parent  # reuse the session's index
    env = {"PYTHONPATH": str(REPO), "ANIMAGINE_INDEX_DIR": str(index_parent), "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [sys.executable, "-m", "animagine_prompt", "lookup", "long_hair", "smlie"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=60,
    )
    lines = run.stdout.splitlines()
    assert lines[0] == "long_hair\tlong hair\tgeneral\tdanbooru"
    assert lines[1].startswith("smlie\tunknown\tdid you mean: smile")
    assert run.returncode == 1  # one input was unknown


def test_the_shipped_file_holds_general_tags_with_post_counts() -> None:
    rows = gzip.decompress(BUNDLED_GENERAL.read_bytes()).decode("utf-8").splitlines()
    assert rows[0].startswith("1girl,0,6008644,")
    assert len(rows) == 30_782  # the figure tags/README.md gives
    assert all(row.split(",")[1] == "0" for row in rows)


@pytest.mark.skipif(
    not ARCHIVE.is_dir() or importlib.util.find_spec("py7zr") is None,
    reason="needs the dbr-e621-lists-archive mirror and py7zr (for its alias table)",
)
def test_the_build_script_reproduces_the_shipped_file_from_the_archive(tmp_path: Path) -> None:
    out = tmp_path / "general.csv.gz"
    subprocess.run(
        [sys.executable, str(REPO / "tags" / "build_danbooru_general.py"), str(ARCHIVE), "--output", str(out)],
        check=True, capture_output=True, timeout=120,
    )
    assert out.read_bytes() == BUNDLED_GENERAL.read_bytes()
