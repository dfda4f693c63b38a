"""When sources disagree: user > curated > extra sources > Tag Autocomplete > bundled Danbooru snapshot > tipo-kgen."""

from __future__ import annotations

import gzip
from pathlib import Path

from tagdb_helpers import copy_curated, write_fake_kgen

from animagine_prompt.categories import Category
from animagine_prompt.tagdb import SourceInfo, TagDBConfig, load_tagdb


class DictSource:
    """A minimal extra source, like the Danbooru cache."""

    name = "danbooru-cache"

    def __init__(self, table: dict[str, tuple[str, Category]]) -> None:
        self.table = table

    def get(self, key: str) -> tuple[str, Category] | None:
        return self.table.get(key)

    def info(self) -> SourceInfo:
        return SourceInfo(self.name, "extra", None, len(self.table), True)


def _layers(tmp_path: Path) -> dict[str, object]:
    kgen = write_fake_kgen(tmp_path / "kgen")  # "layered" is a character there
    tc = tmp_path / "tc" / "tags"
    tc.mkdir(parents=True)
    (tc / "danbooru.csv").write_text('layered,1,10,"lay,layrd"\n', encoding="utf-8")
    bundled = tmp_path / "bundled.csv.gz"
    bundled.write_bytes(gzip.compress(b'layered,0,50,"layerd"\n'))
    tags = tmp_path / "tags"
    (tags / "curated").mkdir(parents=True)
    (tags / "curated" / "test.csv").write_text("tag,category\nlayered,meta\n", encoding="utf-8")
    return {"kgen": kgen, "tc": tc.parent, "tags": tags, "index": tmp_path / "index", "bundled": bundled}


def _db(paths: dict, *, tagcomplete: bool, extra: bool, curated: bool, user: bool, bundled: bool = True):
    tags: Path = paths["tags"]
    if not curated:
        tags = tags.parent / "tags-empty"
        (tags / "curated").mkdir(parents=True, exist_ok=True)
    user_file = tags / "user.csv"
    if user:
        user_file.write_text("# mine\nlayered,copyright\n", encoding="utf-8")
    elif user_file.exists():
        user_file.unlink()
    extras = (DictSource({"layered": ("layered", Category.GENERAL)}),) if extra else ()
    return load_tagdb(
        TagDBConfig(
            tags_dir=tags,
            tagcomplete_dirs=(paths["tc"],) if tagcomplete else (),
            index_dir=paths["index"],
            kgen_dir=paths["kgen"],
            extra_sources=extras,
            bundled_files=(paths["bundled"],) if bundled else (),
        )
    )


def test_each_layer_beats_the_ones_below(tmp_path: Path) -> None:
    paths = _layers(tmp_path)
    steps = [
        (dict(tagcomplete=False, extra=False, curated=False, user=False, bundled=False), Category.CHARACTER, "kgen"),
        (dict(tagcomplete=False, extra=False, curated=False, user=False), Category.GENERAL, "danbooru"),
        (dict(tagcomplete=True, extra=False, curated=False, user=False), Category.ARTIST, "tagcomplete"),
        (dict(tagcomplete=True, extra=True, curated=False, user=False), Category.GENERAL, "danbooru-cache"),
        (dict(tagcomplete=True, extra=True, curated=True, user=False), Category.META, "curated"),
        (dict(tagcomplete=True, extra=True, curated=True, user=True), Category.COPYRIGHT, "user"),
    ]
    for layers, category, source in steps:
        info = _db(paths, **layers).lookup("Layered")
        assert info is not None, layers
        assert (info.category, info.source) == (category, source), layers


def test_an_alias_leads_to_the_winning_entry_of_its_tag(tmp_path: Path) -> None:
    paths = _layers(tmp_path)
    db = _db(paths, tagcomplete=True, extra=False, curated=True, user=True)
    info = db.lookup("layrd")  # Tag Autocomplete alias of "layered"
    assert info is not None and (info.name, info.category, info.source) == ("layered", Category.COPYRIGHT, "user")


def test_user_override_of_a_curated_tag_also_governs_its_aliases(tmp_path: Path) -> None:
    tags = tmp_path / "tags"
    (tags / "curated").mkdir(parents=True)
    (tags / "curated" / "ratings.csv").write_text(
        'tag,category,model,aliases\nnsfw,rating,,"questionable"\n', encoding="utf-8"
    )
    (tags / "user.csv").write_text("nsfw,general\n", encoding="utf-8")
    db = load_tagdb(TagDBConfig(tags_dir=tags, tagcomplete_dirs=(), kgen_dir=tmp_path / "none", index_dir=tmp_path))
    assert db.lookup("questionable").category is Category.GENERAL
    assert db.lookup("nsfw").source == "user"


def test_extra_sources_are_listed_for_the_panel(tmp_path: Path) -> None:
    paths = _layers(tmp_path)
    db = _db(paths, tagcomplete=False, extra=True, curated=True, user=False)
    assert [s.name for s in db.sources if s.kind == "extra"] == ["danbooru-cache"]


def test_extra_source_answers_with_its_canonical_spelling(tmp_path: Path) -> None:
    source = DictSource({"new character (new show)": ("new character (new show)", Category.CHARACTER)})
    db = load_tagdb(
        TagDBConfig(
            tags_dir=tmp_path,
            tagcomplete_dirs=(),
            kgen_dir=write_fake_kgen(tmp_path / "kgen"),
            index_dir=tmp_path / "index",
            extra_sources=(source,),
        )
    )
    info = db.lookup("New_Character_\\(New_Show\\)")
    assert info is not None and (info.name, info.category, info.source) == (
        "new character (new show)",
        Category.CHARACTER,
        "danbooru-cache",
    )
    assert db.series_for_character("makima (chainsaw man)") == "chainsaw man"


def test_tags_an_extra_source_learns_later_apply_without_reloading(tmp_path: Path) -> None:
    source = DictSource({})
    db = load_tagdb(
        TagDBConfig(
            tags_dir=copy_curated(tmp_path / "tags"),
            tagcomplete_dirs=(),
            kgen_dir=write_fake_kgen(tmp_path / "kgen"),
            index_dir=tmp_path / "index",
            extra_sources=(source,),
        )
    )
    assert db.lookup("brand new tag") is None
    assert db.lookup("some artist").category is Category.ARTIST
    source.table["brand new tag"] = ("brand new tag", Category.CHARACTER)
    source.table["some artist"] = ("some artist", Category.GENERAL)
    source.table["1girl"] = ("1girl", Category.GENERAL)
    assert db.lookup("brand_new_tag").category is Category.CHARACTER
    assert db.lookup("brand new tag").category is Category.CHARACTER  # also after the memo saw it
    assert db.lookup("some artist").source == "danbooru-cache"  # extra sources outrank the bulk lists
    assert db.lookup("1girl").source == "curated"  # ... but never our curated tags
