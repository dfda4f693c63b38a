"""Finding the Tag Autocomplete extension (``a1111-sd-webui-tagcomplete``) and its tag files.

When it is installed beside us its ``tags/*.csv`` hold Danbooru's general tags,
post counts and aliases (``miku`` -> ``hatsune_miku``), which the kgen lists
lack. Parsing them is ``tagcomplete_csv.py``'s job, done only when the index is built.
"""

from __future__ import annotations

from pathlib import Path

from .config import REPO_ROOT

#: Files that are not Danbooru tag lists (other boorus, a spelling dictionary).
_SKIP_PREFIXES = ("e621", "derpibooru")
_SKIP_WORDS = ("dictionary",)


def find_tagcomplete_dirs(extension_root: Path = REPO_ROOT) -> tuple[Path, ...]:
    """Sibling extension folders whose name contains "tagcomplete", in name order."""
    parent = extension_root.parent
    try:
        siblings = sorted(parent.iterdir())
    except OSError:
        return ()
    return tuple(
        d for d in siblings if d != extension_root and "tagcomplete" in d.name.lower() and (d / "tags").is_dir()
    )


def tag_files(folder: Path) -> list[Path]:
    """The CSV files worth reading in an install folder or its ``tags/`` folder."""
    tags = folder / "tags" if (folder / "tags").is_dir() else folder
    try:
        files = sorted(p for p in tags.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    except OSError:
        return []
    return [p for p in files if not _skipped_by_name(p.name)]


def _skipped_by_name(name: str) -> bool:
    lower = name.lower()
    return lower.startswith(_SKIP_PREFIXES) or any(word in lower for word in _SKIP_WORDS)
