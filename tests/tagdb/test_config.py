"""Where the index lives, and how Tag Autocomplete is found next to us."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from tagdb_helpers import write_fake_kgen, write_tagcomplete

from animagine_prompt.tagdb import TagDB, TagDBConfig, load_tagdb
from animagine_prompt.tagdb.config import DEFAULT_TAGS_DIR, INDEX_DIR_ENV, resolve
from animagine_prompt.tagdb.tagcomplete import find_tagcomplete_dirs, tag_files


def test_index_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(INDEX_DIR_ENV, raising=False)
    default = resolve(TagDBConfig()).index_dirs
    assert default[0] == DEFAULT_TAGS_DIR / ".index"
    assert default[1] == Path("~/.cache/sd-webui-animagine").expanduser()
    monkeypatch.setenv(INDEX_DIR_ENV, str(tmp_path / "env"))
    assert resolve(TagDBConfig()).index_dirs == (tmp_path / "env",)
    assert resolve(TagDBConfig(index_dir=tmp_path / "explicit")).index_dirs == (tmp_path / "explicit",)


def test_sibling_tagcomplete_is_detected(tmp_path: Path) -> None:
    extensions = tmp_path / "extensions"
    ours = extensions / "sd-webui-animagine"
    ours.mkdir(parents=True)
    tc = write_tagcomplete(extensions)
    (extensions / "Tagcomplete-fork" / "tags").mkdir(parents=True)
    (extensions / "other-extension" / "tags").mkdir(parents=True)
    found = find_tagcomplete_dirs(ours)
    assert found == (extensions / "Tagcomplete-fork", tc)
    assert [p.name for p in tag_files(tc)] == ["danbooru.csv", "ponybooru.csv"]


def test_tag_files_accepts_the_tags_folder_itself(tmp_path: Path) -> None:
    tc = write_tagcomplete(tmp_path)
    (tc / "tags" / "EnglishDictionary.csv").write_text("that,0,1,\n", encoding="utf-8")
    assert [p.name for p in tag_files(tc / "tags")] == ["danbooru.csv", "ponybooru.csv"]


def test_two_loads_building_at_once_both_work(tmp_path: Path) -> None:
    config = TagDBConfig(
        tags_dir=tmp_path / "tags",
        tagcomplete_dirs=(write_tagcomplete(tmp_path),),
        kgen_dir=write_fake_kgen(tmp_path / "kgen"),
        index_dir=tmp_path / "index",
    )
    results: list[TagDB] = []
    threads = [threading.Thread(target=lambda: results.append(load_tagdb(config))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    for db in results:
        assert db.lookup("miku").name == "hatsune miku"
        assert not [m for m in db.messages if "index" in m]
    leftovers = [p.name for p in (tmp_path / "index").iterdir() if not p.name.startswith("tagdb-")]
    assert leftovers == []


def test_the_db_satisfies_the_engine_protocol(tc_db: TagDB) -> None:
    from animagine_prompt.tagdb_protocol import TagLookup

    lookup: TagLookup = tc_db
    assert lookup.lookup("miku") is not None
    assert isinstance(lookup.suggest("mikku"), list)
