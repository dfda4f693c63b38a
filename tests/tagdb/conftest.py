"""Fixtures: the real tipo-kgen lists through the suite-wide ``real_tagdb`` (its ~1M-key
index is built once per session, because that takes seconds on a small machine), and
small synthetic sources for everything that does not need the real lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from tagdb_helpers import copy_curated, write_fake_kgen, write_tagcomplete

from animagine_prompt.tagdb import TagDB, TagDBConfig, load_tagdb
from animagine_prompt.tagdb.kgen import find_kgen_dir


@pytest.fixture(scope="session")
def kgen_dir() -> Path:
    folder = find_kgen_dir()
    if folder is None:
        pytest.skip("tipo-kgen is not installed (pip install --no-deps tipo-kgen==0.3.1)")
    return folder


@pytest.fixture(scope="session")
def db(real_tagdb: TagDB, kgen_dir: Path) -> TagDB:
    """The real lists (tests/conftest.py builds their index once per session)."""
    return real_tagdb


@pytest.fixture(scope="session")
def tc_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tagdb-tc")
    return {
        "tags_dir": copy_curated(root / "tags"),
        "tagcomplete": write_tagcomplete(root / "extensions"),
        "index_dir": root / "index",
        "kgen_dir": write_fake_kgen(root / "kgen"),
    }


@pytest.fixture(scope="session")
def tc_db(tc_paths: dict[str, Path]) -> TagDB:
    """Tag Autocomplete files over a tiny kgen stand-in (so no second 1M-key build)."""
    return load_tagdb(
        TagDBConfig(
            tags_dir=tc_paths["tags_dir"],
            tagcomplete_dirs=(tc_paths["tagcomplete"],),
            index_dir=tc_paths["index_dir"],
            kgen_dir=tc_paths["kgen_dir"],
            bundled_files=(),
        )
    )
