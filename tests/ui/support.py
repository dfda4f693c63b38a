"""Builders of the UI tests' tag data: the real knowledge base over a private tags folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from animagine_prompt.knowledge import load_knowledge
from animagine_prompt.presets import load_presets
from animagine_prompt.tagdb.config import DEFAULT_TAGS_DIR
from animagine_tab import TabContext


def make_tags_dir(root: Path) -> Path:
    """A tags folder like the repo's (curated lists) with its own, empty user.csv."""
    tags = root / "tags"
    shutil.copytree(DEFAULT_TAGS_DIR / "curated", tags / "curated")
    return tags


def make_context(tags_dir: Path, index_dir: Path, **extra) -> TabContext:
    return TabContext(
        load_db=lambda: load_knowledge(tags_dir, index_dir=index_dir, tagcomplete_dirs=()),
        presets=load_presets(),
        overrides_file=tags_dir / "user.csv",
        **extra,
    )
