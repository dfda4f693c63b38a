"""Fixtures of the UI tests (``real_tagdb``, read-only, comes from tests/conftest.py).

The index is built once per test session into a temporary folder; ``user.csv``
lives in a temporary ``tags/`` (with a copy of the repo's curated tags), so
override edits never touch the developer's own file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from animagine_tab import TabContext

from .support import make_context, make_tags_dir


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tag-index")


@pytest.fixture()
def ctx(tmp_path: Path, index_dir: Path) -> TabContext:
    """A context over a fresh tags folder (its own user.csv)."""
    return make_context(make_tags_dir(tmp_path), index_dir)
