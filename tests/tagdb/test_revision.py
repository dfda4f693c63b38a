"""The knowledge base's revision: what the engine's memos are keyed by instead of the object."""

from __future__ import annotations

from pathlib import Path

from tagdb_helpers import copy_curated, write_fake_kgen
from test_precedence import DictSource

from animagine_prompt.categories import Category
from animagine_prompt.formatter import format_prompt
from animagine_prompt.presets import get_preset
from animagine_prompt.tagdb import TagDBConfig, load_tagdb

PRESET = get_preset("animagine-xl-4.0")


def _config(tmp_path: Path, **kw) -> TagDBConfig:
    tags = tmp_path / "tags"
    if not tags.exists():
        copy_curated(tags)
    return TagDBConfig(
        tags_dir=tags, tagcomplete_dirs=(), kgen_dir=write_fake_kgen(tmp_path / "kgen"),
        index_dir=tmp_path / "index", **kw,
    )


def test_the_same_sources_loaded_twice_have_one_revision_and_an_edit_makes_a_new_one(tmp_path: Path) -> None:
    config = _config(tmp_path)
    first, second = load_tagdb(config), load_tagdb(config)
    assert first is not second and first.revision == second.revision
    (tmp_path / "tags" / "user.csv").write_text("brand new tag,character\n", encoding="utf-8")
    edited = load_tagdb(config)
    assert edited.revision != first.revision
    # the memo is keyed by revision: the edited table's answer is its own, never the old one's
    assert format_prompt("smile, brand new tag", db=first, preset=PRESET).prompt.startswith("smile, brand new tag")
    assert format_prompt("smile, brand new tag", db=edited, preset=PRESET).prompt.startswith("brand new tag, smile")


def test_a_tag_a_learning_source_adds_changes_the_next_format_of_the_same_prompt(tmp_path: Path) -> None:
    # An extra source that names no revision of its own (a cache that learns while the WebUI
    # runs): nothing it answers may be memoised, or the next generation would miss what it learnt.
    source = DictSource({})
    db = load_tagdb(_config(tmp_path, extra_sources=(source,)))
    assert db.revision is None
    before = format_prompt("smile, brand new tag", db=db, preset=PRESET)
    assert before.prompt.startswith("smile, brand new tag")
    source.table["brand new tag"] = ("brand new tag", Category.CHARACTER)
    after = format_prompt("smile, brand new tag", db=db, preset=PRESET)
    assert after.prompt.startswith("brand new tag, smile")


def test_a_source_that_names_its_revision_keeps_the_table_memoisable(tmp_path: Path) -> None:
    source = DictSource({})
    source.revision = "cache-1"  # type: ignore[attr-defined]
    db = load_tagdb(_config(tmp_path, extra_sources=(source,)))
    first = db.revision
    assert first is not None and first.endswith("+cache-1")
    source.revision = "cache-2"  # type: ignore[attr-defined]
    assert db.revision is not None and db.revision != first


def test_an_overrides_edit_made_outside_the_ui_is_seen_on_the_next_generation(tmp_path: Path) -> None:
    # The WebUI's knowledge base loads once; a user who edits tags/user.csv in a text editor must
    # not need a restart (or the tab's reload button) for the next generation to use it.
    from animagine_webui.engine import KnowledgeBase

    config = _config(tmp_path)
    handle = KnowledgeBase(lambda: load_tagdb(config))
    first = handle.get()
    assert handle.get() is first and not first.changed_on_disk()
    assert format_prompt("smile, brand new tag", db=handle.get(), preset=PRESET).prompt.startswith("smile, brand")
    (tmp_path / "tags" / "user.csv").write_text("brand new tag,character\n", encoding="utf-8")
    assert first.changed_on_disk()
    fresh = handle.get()
    assert fresh is not first and not fresh.changed_on_disk()
    assert format_prompt("smile, brand new tag", db=fresh, preset=PRESET).prompt.startswith("brand new tag, smile")


def test_the_tab_reads_an_outside_edit_too(tmp_path: Path) -> None:
    from animagine_prompt.presets import load_presets
    from animagine_tab.callbacks import TabSession
    from animagine_tab.context import TabContext

    config = _config(tmp_path)
    session = TabSession(TabContext(load_db=lambda: load_tagdb(config), presets=load_presets()))
    first = session.db
    assert session.db is first
    (tmp_path / "tags" / "curated" / "extra.csv").write_text("tag,category\nbrand new tag,artist\n", encoding="utf-8")
    assert session.db is not first and session.db.lookup("brand new tag").category is Category.ARTIST
