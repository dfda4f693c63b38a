"""Missing or broken data: a one-line message naming file and line, and the rest keeps working."""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path

import pytest
from tagdb_helpers import FAKE_KGEN, copy_curated, write_fake_kgen

from animagine_prompt.categories import Category
from animagine_prompt.tagdb import SourceInfo, TagDBConfig, load_tagdb


def _config(tmp_path: Path, **overrides) -> TagDBConfig:
    values = dict(
        tags_dir=copy_curated(tmp_path / "tags") if not (tmp_path / "tags").exists() else tmp_path / "tags",
        tagcomplete_dirs=(),
        index_dir=tmp_path / "index",
        kgen_dir=write_fake_kgen(tmp_path / "kgen") if not (tmp_path / "kgen").exists() else tmp_path / "kgen",
    )
    values.update(overrides)
    return TagDBConfig(**values)


def test_kgen_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "kgen" else real_find_spec(name, *a)
    )
    with caplog.at_level(logging.WARNING):
        db = load_tagdb(_config(tmp_path, kgen_dir=None))
    assert any("tipo-kgen is not installed" in m for m in db.messages)
    assert any("tipo-kgen is not installed" in r.getMessage() for r in caplog.records)
    assert db.lookup("2girls").category is Category.PEOPLE  # curated tags still work
    assert db.lookup("makima (chainsaw man)") is None


def test_a_missing_kgen_list_is_named_and_the_others_load(tmp_path: Path) -> None:
    files = {k: v for k, v in FAKE_KGEN.items() if k != "artist.txt"}
    kgen = write_fake_kgen(tmp_path / "kgen", files)
    db = load_tagdb(_config(tmp_path, kgen_dir=kgen))
    assert any(m.startswith(str(kgen / "artist.txt")) for m in db.messages), db.messages
    assert db.lookup("makima (chainsaw man)").category is Category.CHARACTER


def _built_index(tmp_path: Path) -> tuple[TagDBConfig, Path]:
    config = _config(tmp_path)
    db = load_tagdb(config)
    assert db.lookup("chainsaw man") is not None and not db.messages
    (folder,) = [p for p in (tmp_path / "index").iterdir() if p.name.startswith("tagdb-")]
    return config, folder


@pytest.mark.parametrize("victim", ["keys.marisa", "records.bin"])
def test_truncated_index_file_is_rebuilt_beside_it(tmp_path: Path, victim: str) -> None:
    config, folder = _built_index(tmp_path)
    path = folder / victim
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    db = load_tagdb(config)
    assert any(str(path) in m and "truncated" in m for m in db.messages), db.messages
    assert db.lookup("makima \\(chainsaw man\\)").category is Category.CHARACTER
    assert path.read_bytes() == data[: len(data) // 2]  # the broken file is left as it was
    assert len([p for p in (tmp_path / "index").iterdir() if p.name.startswith("tagdb-")]) == 2
    again = load_tagdb(config)  # the rebuilt index is found first from now on
    assert not again.messages and again.lookup("chainsaw man") is not None


def test_corrupt_manifest_is_reported(tmp_path: Path) -> None:
    config, folder = _built_index(tmp_path)
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    db = load_tagdb(config)
    assert any("manifest.json" in m for m in db.messages)
    assert db.lookup("chainsaw man").category is Category.COPYRIGHT


def test_a_changed_source_selects_a_new_index(tmp_path: Path) -> None:
    config, folder = _built_index(tmp_path)
    characters = tmp_path / "kgen" / "characters.txt"
    characters.write_bytes(characters.read_bytes() + b"denji\r\n")
    db = load_tagdb(config)
    assert db.lookup("denji").category is Category.CHARACTER
    assert folder.exists() and not db.messages


def test_unreadable_tagcomplete_csv(tmp_path: Path) -> None:
    tc = tmp_path / "tc" / "tags"
    tc.mkdir(parents=True)
    (tc / "danbooru.csv").write_bytes(b"long_hair,0,5,\n\xff\xfe broken bytes,0,1,\n")
    (tc / "extra.csv").write_text("smile,0,10,\n", encoding="utf-8")
    db = load_tagdb(_config(tmp_path, tagcomplete_dirs=(tc.parent,)))
    assert any(str(tc / "danbooru.csv") in m and "cannot read" in m for m in db.messages), db.messages
    assert db.lookup("smile").category is Category.GENERAL
    assert db.lookup("chainsaw man") is not None


def test_missing_tagcomplete_dir_is_reported(tmp_path: Path) -> None:
    db = load_tagdb(_config(tmp_path, tagcomplete_dirs=(tmp_path / "nowhere",)))
    assert any(str(tmp_path / "nowhere") in m for m in db.messages)
    assert db.lookup("chainsaw man") is not None


def test_malformed_user_lines_are_named_and_skipped(tmp_path: Path) -> None:
    tags = copy_curated(tmp_path / "tags")
    (tags / "user.csv").write_text(
        "# my tags\ntag,category\nmy oc,character\nbroken line without category\nother,not-a-category\n"
        "denji,character\n",
        encoding="utf-8",
    )
    db = load_tagdb(_config(tmp_path, tags_dir=tags))
    assert any(f"{tags / 'user.csv'}:4" in m for m in db.messages), db.messages
    assert any(f"{tags / 'user.csv'}:5" in m and "not-a-category" in m for m in db.messages), db.messages
    assert db.lookup("my_oc").category is Category.CHARACTER
    assert db.lookup("denji").source == "user"
    user = next(s for s in db.sources if s.kind == "user")
    assert user.entries == 2 and user.ok and user.problem


def test_unreadable_user_file(tmp_path: Path) -> None:
    tags = copy_curated(tmp_path / "tags")
    (tags / "user.csv").write_bytes(b"\xff\xfe\x00garbage")
    db = load_tagdb(_config(tmp_path, tags_dir=tags))
    assert any(str(tags / "user.csv") in m for m in db.messages)
    assert not next(s for s in db.sources if s.kind == "user").ok
    assert db.lookup("1girl").category is Category.PEOPLE


def test_bad_curated_line(tmp_path: Path) -> None:
    tags = tmp_path / "tags"
    (tags / "curated").mkdir(parents=True)
    (tags / "curated" / "x.csv").write_text(
        "tag,category,model\ngood tag,general,\nbad tag,flavour,\nother,quality,5.0\n", encoding="utf-8"
    )
    db = load_tagdb(_config(tmp_path, tags_dir=tags))
    path = tags / "curated" / "x.csv"
    assert any(f"{path}:3" in m and "flavour" in m for m in db.messages), db.messages
    assert any(f"{path}:4" in m and "5.0" in m for m in db.messages), db.messages
    assert db.lookup("good tag").category is Category.GENERAL


class BrokenSource:
    name = "broken"

    def get(self, key: str):
        raise RuntimeError("boom")

    def info(self) -> SourceInfo:
        raise RuntimeError("no info")


def test_a_failing_extra_source_does_not_break_lookups(tmp_path: Path) -> None:
    db = load_tagdb(_config(tmp_path, extra_sources=(BrokenSource(),)))
    assert db.lookup("chainsaw man").category is Category.COPYRIGHT
    assert any("broken" in m for m in db.messages)
    assert any(s.name == "broken" and not s.ok for s in db.sources)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_read_only_index_dir_falls_back(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        db = load_tagdb(_config(tmp_path, index_dir=ro))
    finally:
        ro.chmod(0o700)
    assert db.lookup("chainsaw man") is not None
    assert any("temporary folder" in m for m in db.messages)


def test_index_dir_that_is_a_file_falls_back(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    db = load_tagdb(_config(tmp_path, index_dir=blocker))
    assert db.lookup("chainsaw man") is not None
    assert any(str(blocker) in m for m in db.messages)
    assert blocker.read_text(encoding="utf-8") == "x"
