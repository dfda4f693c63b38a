"""Fixtures shared by every test area."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from animagine_prompt.tagdb import TagDBConfig, load_tagdb

REPO = Path(__file__).resolve().parents[1]

# CI and `./dev.sh test` replay the same examples every run (with hypothesis pinned in
# pyproject.toml's dev extra), so a green run stays green; HYPOTHESIS_PROFILE=explore searches anew.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(scope="session")
def real_tagdb(tmp_path_factory: pytest.TempPathFactory):
    """The real knowledge base (bundled kgen lists + curated tags), index built once per session.

    The curated files are copied so a developer's own ``tags/user.csv`` cannot change results,
    and Tag Autocomplete is switched off so nothing depends on what sits next to the checkout.
    """
    tags_dir = tmp_path_factory.mktemp("tags")
    shutil.copytree(REPO / "tags" / "curated", tags_dir / "curated")
    index_dir = tmp_path_factory.mktemp("tagdb-index")
    return load_tagdb(TagDBConfig(tags_dir=tags_dir, tagcomplete_dirs=(), index_dir=index_dir))
