"""The knowledge base every front end uses: bundled lists, curated tags and overrides in ``tags/``.

One function, so the CLI, the standalone app and the WebUI cannot drift apart in
which sources they read.
"""

from __future__ import annotations

from pathlib import Path

from .tagdb import TagDB, TagDBConfig, load_tagdb


def load_knowledge(
    tags_dir: Path | None = None,
    *,
    index_dir: Path | None = None,
    tagcomplete_dirs: tuple[Path, ...] | None = None,
) -> TagDB:
    """The full knowledge base."""
    return load_tagdb(TagDBConfig(tags_dir=tags_dir, index_dir=index_dir, tagcomplete_dirs=tagcomplete_dirs))
