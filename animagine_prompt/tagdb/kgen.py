"""The Danbooru tag lists that ship inside the ``tipo-kgen`` package.

``kgen/__init__`` imports torch, so the package is never imported: its folder
is found through ``find_spec`` (which does not run the package) and the text
files are read as data.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ..categories import Category

#: List file -> category, in reading order (a later file wins a duplicate key).
KGEN_FILES = (
    ("meta.txt", Category.META),
    ("artist.txt", Category.ARTIST),
    ("copyrights.txt", Category.COPYRIGHT),
    ("characters.txt", Category.CHARACTER),
)


def find_kgen_dir() -> Path | None:
    """The installed ``kgen/tag-list`` folder, or None when tipo-kgen is not installed."""
    try:
        spec = importlib.util.find_spec("kgen")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "tag-list"
        if candidate.is_dir():
            return candidate
    return None


def kgen_files(folder: Path) -> list[tuple[Path, Category]]:
    return [(folder / name, category) for name, category in KGEN_FILES]


def read_list(path: Path) -> list[str]:
    """The non-empty lines of one list, in file order (the files use CRLF)."""
    text = path.read_bytes().decode("utf-8")
    return [tag for tag in (line.strip() for line in text.splitlines()) if tag]
