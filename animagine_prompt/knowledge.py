"""The knowledge base every front end uses: bundled lists, curated tags, overrides, and
the opt-in Danbooru cache in the same ``tags/`` folder.

One function, so the CLI, the standalone app and the WebUI cannot drift apart in
which sources they read.
"""

from __future__ import annotations

from pathlib import Path

from .danbooru.source import DanbooruCacheSource
from .tagdb import TagDB, TagDBConfig, load_tagdb
from .tagdb.config import DEFAULT_TAGS_DIR

DANBOORU_CACHE_NAME = "danbooru-cache.json"


def danbooru_cache_path(tags_dir: Path | None = None) -> Path:
    return (tags_dir or DEFAULT_TAGS_DIR) / DANBOORU_CACHE_NAME


def load_knowledge(
    tags_dir: Path | None = None,
    *,
    index_dir: Path | None = None,
    tagcomplete_dirs: tuple[Path, ...] | None = None,
) -> TagDB:
    """The full knowledge base. The Danbooru cache is read (never fetched) even when lookups
    are off, so tags a user looked up once keep working; a missing cache is simply empty."""
    source = DanbooruCacheSource(danbooru_cache_path(tags_dir))
    return load_tagdb(
        TagDBConfig(tags_dir=tags_dir, index_dir=index_dir, tagcomplete_dirs=tagcomplete_dirs, extra_sources=(source,))
    )
