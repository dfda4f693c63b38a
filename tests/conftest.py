"""Fixtures shared by every test area."""

from __future__ import annotations

import pytest

from animagine_prompt.tagdb import TagDBConfig, load_tagdb


@pytest.fixture(scope="session")
def real_tagdb(tmp_path_factory: pytest.TempPathFactory):
    """The real knowledge base (bundled kgen lists + curated tags), index built once per session.

    Tag Autocomplete is switched off so results do not depend on what sits next to the checkout.
    """
    index_dir = tmp_path_factory.mktemp("tagdb-index")
    return load_tagdb(TagDBConfig(tagcomplete_dirs=(), index_dir=index_dir))
