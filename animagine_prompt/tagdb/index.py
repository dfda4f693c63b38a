"""The compact, memory-mapped index of the bulk tag lists.

Reading ~1M Danbooru tags into Python sets costs a quarter second and over
100 MB per WebUI process. Instead the bulk sources (tipo-kgen lists, our bundled
Danbooru general tags, Tag Autocomplete CSVs) are compiled once (``build.py``) into marisa tries plus
flat arrays, and every later start maps those files into memory: near-zero
load time, and pages are shared between processes and read only when touched.

Layout of one index folder (named after a signature of its sources, so a
changed source simply selects a new folder):

- ``keys.marisa``: trie of normalised keys; its key ids index the arrays below.
- ``records.bin``: one byte per key: category (low 4 bits), source (3 bits, index into ``SOURCES``),
  and bit 7 set when the canonical spelling differs from the key.
- ``rank.bin``: uint32 per key, higher is more popular (completion order).
- ``canon.marisa``: key -> canonical spelling, only where they differ.
- ``aliases.marisa`` + ``alias_targets.bin``: alias key -> uint32 key id.
- ``manifest.json``: written last; format version, signature, file sizes
  (a truncated file is detected before it is mapped) and what the build found.
"""

from __future__ import annotations

import json
import mmap
import os
import sys
import zlib
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import marisa_trie

from ..categories import Category
from .sources import SOURCE_BUNDLED, SOURCE_KGEN, SOURCE_TAGCOMPLETE, SourceInfo

FORMAT_VERSION = 2
CATEGORIES = tuple(Category)
SOURCES = (SOURCE_KGEN, SOURCE_TAGCOMPLETE, SOURCE_BUNDLED)
CANON_FLAG = 0x80
FILES = ("keys.marisa", "records.bin", "rank.bin", "canon.marisa", "aliases.marisa", "alias_targets.bin")
#: record byte -> (category, source), decoded once instead of on every lookup.
_DECODE = tuple(
    (
        CATEGORIES[r & 0x0F] if (r & 0x0F) < len(CATEGORIES) else Category.GENERAL,
        SOURCES[((r >> 4) & 0x07) % len(SOURCES)],
    )
    for r in range(256)
)


class IndexUnusable(Exception):
    """An index folder that cannot be used; the message says which file and why."""


class BulkSources(NamedTuple):
    """The bulk inputs an index is built from (paths only; nothing read yet)."""

    kgen_files: tuple[tuple[Path, Category], ...]
    tagcomplete_files: tuple[Path, ...]
    #: Our shipped snapshot(s) in Tag Autocomplete's layout (gzip allowed); read after kgen, before Tag Autocomplete.
    bundled_files: tuple[Path, ...] = ()

    def signature(self) -> str:
        """Changes whenever a source file is added, removed, resized or touched."""
        parts = [f"v{FORMAT_VERSION}"]
        for path in [p for p, _ in self.kgen_files] + list(self.bundled_files) + list(self.tagcomplete_files):
            try:
                st = path.stat()
                parts.append(f"{path}|{st.st_size}|{st.st_mtime_ns}")
            except OSError:
                parts.append(f"{path}|missing")
        data = "\n".join(parts).encode("utf-8")
        return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"

    @property
    def empty(self) -> bool:
        return not self.kgen_files and not self.tagcomplete_files and not self.bundled_files


class TagIndex:
    """A mapped index folder. Read-only; safe to share between threads."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexUnusable(f"{folder / 'manifest.json'}: unreadable ({exc})") from None
        try:
            _check(folder, manifest)
            self.sources = tuple(SourceInfo(**s) for s in manifest["sources"])
            self.messages = tuple(str(m) for m in manifest["messages"])
            self.signature: str = manifest["signature"]
        except (KeyError, TypeError, AttributeError) as exc:
            raise IndexUnusable(f"{folder / 'manifest.json'}: malformed ({exc!r})") from None
        self.keys = _map_trie(marisa_trie.Trie(), folder / "keys.marisa")
        self.canon = _map_trie(marisa_trie.BytesTrie(), folder / "canon.marisa")
        self.aliases = _map_trie(marisa_trie.Trie(), folder / "aliases.marisa")
        self.records = _map_array(folder / "records.bin", "B")
        self.rank = _map_array(folder / "rank.bin", "I")
        self.alias_targets = _map_array(folder / "alias_targets.bin", "I")
        if len(self.keys) != len(self.records) or len(self.aliases) != len(self.alias_targets):
            raise IndexUnusable(f"{folder}: key and record counts disagree")

    def __len__(self) -> int:
        return len(self.keys)

    def find(self, key: str) -> tuple[str, str, Category, str] | None:
        """``(key, canonical, category, source)`` for a key or alias; the key is the alias's target."""
        key_id = self.keys.get(key)
        if key_id is None:
            alias_id = self.aliases.get(key)
            if alias_id is None:
                return None
            key_id = self.alias_targets[alias_id]
            key = self.keys.restore_key(key_id)
        record = self.records[key_id]
        category, source = _DECODE[record]
        canonical = self.canon[key][0].decode("utf-8") if record & CANON_FLAG else key
        return key, canonical, category, source

    def entry(self, key_id: int) -> tuple[str, str, Category, str]:
        """``(key, canonical, category, source)`` of a key id."""
        key = self.keys.restore_key(key_id)
        record = self.records[key_id]
        category, source = _DECODE[record]
        canonical = self.canon[key][0].decode("utf-8") if record & CANON_FLAG else key
        return key, canonical, category, source

    def rank_of(self, key: str) -> int:
        key_id = self.keys.get(key)
        if key_id is None:
            alias_id = self.aliases.get(key)
            if alias_id is None:
                return 0
            key_id = self.alias_targets[alias_id]
        return self.rank[key_id]

    def prefixed(self, prefix: str, cap: int) -> Iterator[int]:
        """Key ids of direct keys, then alias targets, starting with ``prefix`` (at most ``cap`` each)."""
        get = self.keys.get
        for n, key in enumerate(self.keys.iterkeys(prefix)):
            if n >= cap:
                break
            yield get(key)
        for n, (_, alias_id) in enumerate(self.aliases.iteritems(prefix)):
            if n >= cap:
                break
            yield self.alias_targets[alias_id]


def _check(folder: Path, manifest: dict) -> None:
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexUnusable(f"{folder}: index format {manifest.get('format')!r}, expected {FORMAT_VERSION}")
    if manifest.get("byteorder") != sys.byteorder:
        raise IndexUnusable(f"{folder}: built on a {manifest.get('byteorder')}-endian machine")
    for name in FILES:
        path = folder / name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise IndexUnusable(f"{path}: missing ({exc.strerror})") from None
        if size != manifest["sizes"][name]:
            raise IndexUnusable(f"{path}: {size} bytes, expected {manifest['sizes'][name]} (truncated?)")


def _map_trie(trie, path: Path):
    try:
        if path.stat().st_size == 0:
            return trie  # marisa cannot map an empty file; an empty trie is equivalent
        trie.mmap(str(path))
    except Exception as exc:  # marisa raises plain Exception subclasses of its own
        raise IndexUnusable(f"{path}: cannot map ({exc})") from None
    return trie


def _map_array(path: Path, typecode: str) -> Sequence[int]:
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return array(typecode)
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    return view if typecode == "B" else view.cast(typecode)


# --------------------------------------------------------------------------- finding


def open_or_build(sources: BulkSources, index_dirs: Sequence[Path]) -> tuple[TagIndex | None, list[str]]:
    """The index for ``sources``: an existing good one, else a fresh build.

    Returns the index (None when it could neither be found nor built) and the
    one-line messages about broken or unwritable index folders met on the way.
    """
    signature = sources.signature()
    messages: list[str] = []
    for folder in index_dirs:
        for candidate in candidates(folder, signature):
            try:
                return TagIndex(candidate), messages
            except IndexUnusable as exc:
                messages.append(f"tag index unusable, rebuilding: {exc}")
    from .build import build_index  # only the first start (or a changed source) pays for this import

    for folder in index_dirs:
        try:
            built = build_index(sources, folder, signature)
        except OSError as exc:
            messages.append(f"cannot write the tag index in {folder} ({exc.strerror or exc}); trying elsewhere")
            continue
        try:
            return TagIndex(built), messages
        except IndexUnusable as exc:
            messages.append(f"freshly built tag index unusable: {exc}")
    import tempfile

    try:
        private = Path(tempfile.mkdtemp(prefix="animagine-tagdb-"))
        built = build_index(sources, private, signature)
        messages.append(f"tag index kept in a temporary folder {private} (no writable index folder)")
        return TagIndex(built), messages
    except (OSError, IndexUnusable) as exc:
        messages.append(f"cannot build the tag index ({exc}); bulk tag lists unavailable")
        return None, messages


def candidates(folder: Path, signature: str) -> list[Path]:
    """Index folders for this signature, newest first (a rebuilt one beats a broken one)."""
    try:
        found = [
            p for p in folder.iterdir() if p.name == f"tagdb-{signature}" or p.name.startswith(f"tagdb-{signature}-")
        ]
    except OSError:
        return []
    return sorted(found, key=mtime, reverse=True)


def mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
