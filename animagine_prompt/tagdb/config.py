"""Where the knowledge base reads its data and keeps its index.

All paths are resolved once, in :func:`resolve`, so the rest of the package
never consults the environment or the file system layout on its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .sources import TagSource

#: The checkout root: the extension folder under the WebUI's ``extensions/``.
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TAGS_DIR = REPO_ROOT / "tags"
INDEX_DIR_ENV = "ANIMAGINE_INDEX_DIR"
USER_CACHE_DIR = Path("~/.cache/sd-webui-animagine")
#: Danbooru's general tags as of 2024-12-22, the snapshot nearest before Animagine XL 4.0's
#: data cut (2025-01-07); rebuilt by ``tags/build_danbooru_general.py``, provenance in tags/README.md.
BUNDLED_GENERAL = Path(__file__).resolve().parents[1] / "data" / "danbooru-general-2024-12-22.csv.gz"
#: Plain character names of the same snapshot (``makima`` -> ``makima (chainsaw man)``);
#: rebuilt by ``tags/build_character_names.py``.
BUNDLED_NAMES = Path(__file__).resolve().parents[1] / "data" / "danbooru-character-names-2024-12-22.csv.gz"


@dataclass(frozen=True)
class TagDBConfig:
    """How to assemble a :class:`TagDB`.

    ``tags_dir``: folder with ``curated/*.csv`` and the user's ``user.csv``
    (default: the repo's ``tags/``). ``tagcomplete_dirs``: Tag Autocomplete
    install folders (or their ``tags/`` folders); None looks for a sibling
    extension whose folder name contains "tagcomplete", ``()`` disables it.
    ``index_dir``: where the compact index is cached; None uses
    ``$ANIMAGINE_INDEX_DIR``, else ``<repo>/tags/.index`` when writable, else
    ``~/.cache/sd-webui-animagine``. ``kgen_dir``: the tipo-kgen ``tag-list``
    folder; None finds the installed package. ``extra_sources``: more
    :class:`TagSource` objects, consulted in order after curated tags.
    ``bundled_files``: our shipped Danbooru snapshot(s); None uses
    :data:`BUNDLED_GENERAL`, ``()`` disables them (tests of other layers).
    ``names_file``: the plain-name table (:data:`BUNDLED_NAMES`); None knows no plain names.
    """

    tags_dir: Path | None = None
    tagcomplete_dirs: tuple[Path, ...] | None = None
    index_dir: Path | None = None
    kgen_dir: Path | None = None
    extra_sources: tuple[TagSource, ...] = ()
    bundled_files: tuple[Path, ...] | None = None
    names_file: Path | None = BUNDLED_NAMES


class ResolvedPaths(NamedTuple):
    tags_dir: Path
    curated_dir: Path
    user_file: Path
    index_dirs: tuple[Path, ...]


def resolve(config: TagDBConfig) -> ResolvedPaths:
    """Concrete paths for a config; ``index_dirs`` lists fallbacks in order of preference."""
    tags_dir = Path(config.tags_dir) if config.tags_dir is not None else DEFAULT_TAGS_DIR
    if config.index_dir is not None:
        index_dirs: tuple[Path, ...] = (Path(config.index_dir),)
    elif os.environ.get(INDEX_DIR_ENV):
        index_dirs = (Path(os.environ[INDEX_DIR_ENV]).expanduser(),)
    else:
        index_dirs = (DEFAULT_TAGS_DIR / ".index", USER_CACHE_DIR.expanduser())
    return ResolvedPaths(
        tags_dir=tags_dir,
        curated_dir=tags_dir / "curated",
        user_file=tags_dir / "user.csv",
        index_dirs=index_dirs,
    )
