"""Plain names people type (``makima``, ``miku``, ``Luffy``) become the Danbooru tag, or a warning."""

from __future__ import annotations

import gzip
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from animagine_prompt.formatter import format_prompt
from animagine_prompt.options import FormatOptions
from animagine_prompt.presets import get_preset
from animagine_prompt.tagdb import TagDB
from animagine_prompt.tagdb.config import BUNDLED_NAMES
from animagine_prompt.tagdb.names import CharacterNames, NameMatch

REPO = Path(__file__).resolve().parents[2]
ARCHIVE = Path("/work/.mirror/DraconicDragon+dbr-e621-lists-archive/repo")
WORDS = Path("/usr/share/dict/american-english")
V40 = get_preset("animagine-xl-4.0")


@pytest.mark.parametrize(
    ("prompt", "start", "named"),
    [
        ("makima, 1girl", r"1girl, makima \(chainsaw man\), chainsaw man, ", "makima"),
        ("miku, 1girl, smile", "1girl, hatsune miku, vocaloid, smile, ", "miku"),
        ("Luffy, 1boy", "1boy, monkey d. luffy, ", "Luffy"),  # kgen lists an artist "luffy": no tag with posts
        ("1girl, (makima:1.2)", r"1girl, (makima \(chainsaw man\):1.2), chainsaw man, ", "(makima:1.2)"),
        ("1girl, toosaka_rin", "1girl, tohsaka rin, ", "toosaka_rin"),  # a Danbooru alias of the character
        ("1girl, saber", r"1girl, saber \(fate\), fate \(series\), ", "saber"),  # Danbooru's alias beats kgen's artist
    ],
)
def test_a_plain_name_becomes_its_tag_and_is_reported(db: TagDB, prompt: str, start: str, named: str) -> None:
    result = format_prompt(prompt, db=db, preset=V40)
    assert result.prompt.startswith(start)
    assert [c.original for c in result.changes if c.kind == "named"] == [named]
    again = format_prompt(result.prompt, db=db, preset=V40)
    assert again.prompt == result.prompt and not [c for c in again.changes if c.kind == "named"]


def test_a_name_of_several_characters_is_kept_with_a_warning(db: TagDB) -> None:
    result = format_prompt("rin, 1girl", db=db, preset=V40)
    assert result.prompt.startswith("1girl, rin, ")
    (warning,) = [w for w in result.warnings if w.code == "ambiguous-name"]
    assert "kagamine rin" in warning.message and "tohsaka rin" in warning.message
    assert warning.subject == "rin" and warning.suggestion == "kagamine rin"


def test_the_setting_keeps_names_as_written(db: TagDB) -> None:
    result = format_prompt("makima, rin, 1girl", db=db, preset=V40, options=FormatOptions(plain_names=False))
    assert result.prompt.startswith("1girl, makima, rin, ")
    assert not [c for c in result.changes if c.kind == "named"]
    assert not [w for w in result.warnings if w.code == "ambiguous-name"]


ORDINARY = ["smile", "hero", "goddess", "loid", "link", "aqua", "Tokyo", "power"]


@pytest.mark.parametrize("prompt", [f"1girl, {word}" for word in ORDINARY])
def test_tags_and_ordinary_words_are_no_names(db: TagDB, prompt: str) -> None:
    result = format_prompt(prompt, db=db, preset=V40)
    assert result.prompt.startswith(prompt + ", ")  # "Tokyo" keeps its capital
    assert not [c for c in result.changes if c.kind == "named"]
    assert not [w for w in result.warnings if w.code == "ambiguous-name"]


def test_names_inside_a_schedule_or_merged_pieces_stay(db: TagDB) -> None:
    for prompt in ("1girl, [miku:makima:0.5]", "1girl, [miku|makima]", "1boy (miku:1)"):
        result = format_prompt(prompt, db=db, preset=V40)
        assert "miku" in result.prompt and "hatsune miku" not in result.prompt, prompt
    # one tag per line: the pieces are separated first (reported), then the name is a tag of its own
    result = format_prompt("1boy\n(miku:1)", db=db, preset=V40)
    assert "(hatsune miku:1)" in result.prompt.split(", ")
    assert {c.kind for c in result.changes} >= {"separated", "named"}


def test_the_margin_decides() -> None:
    assert NameMatch("miku", (("hatsune miku", 106_634), ("nakano miku", 3_462))).unique == "hatsune miku"
    assert NameMatch("rin", (("kagamine rin", 21_203), ("kaenbyou rin", 19_459))).unique is None
    assert NameMatch("makima", (("makima (chainsaw man)", 7_344),)).unique == "makima (chainsaw man)"
    rare = NameMatch("loid", (("lloyd (mother)", 89),))  # a Danbooru alias, but hardly drawn
    assert rare.unique is None and not rare.ambiguous


def test_a_broken_table_is_said_once_and_formatting_goes_on(tmp_path: Path, caplog) -> None:
    broken = tmp_path / "names.csv.gz"
    broken.write_bytes(b"not gzip")
    names = CharacterNames(broken)
    assert names.match("makima") is None
    assert names.problem is not None and "names.csv.gz" in names.problem


def test_the_shipped_table() -> None:
    rows = gzip.decompress(BUNDLED_NAMES.read_bytes()).decode("utf-8").splitlines()
    assert rows[0] == "name,character,posts"
    assert "miku,hatsune miku,106634" in rows
    assert len({row.split(",")[0] for row in rows[1:]}) == 17_809  # the figure tags/README.md gives


@pytest.mark.skipif(
    not ARCHIVE.is_dir() or importlib.util.find_spec("py7zr") is None or not WORDS.is_file(),
    reason="needs the dbr-e621-lists-archive mirror, py7zr (for its alias table) and Debian's wamerican",
)
def test_the_build_script_reproduces_the_shipped_table(tmp_path: Path) -> None:
    out = tmp_path / "names.csv.gz"
    subprocess.run(
        [sys.executable, str(REPO / "tags" / "build_character_names.py"), str(ARCHIVE), "--output", str(out)],
        check=True, capture_output=True, timeout=300,
    )
    assert out.read_bytes() == BUNDLED_NAMES.read_bytes()
