"""Compiling the bulk tag lists into an index folder (see ``index.py`` for the layout).

Run on first use and whenever a source changes. Folders are built under a
temporary name and renamed into place (``os.replace``), so two WebUI processes
building at once never see each other's half-written files, and a broken
folder is never rewritten: a new one is built beside it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
import time
from array import array
from dataclasses import asdict, dataclass
from pathlib import Path

import marisa_trie

from . import kgen, tagcomplete_csv
from .index import CANON_FLAG, CATEGORIES, FILES, FORMAT_VERSION, SOURCES, BulkSources, mtime
from .keys import canonical_name, normalize_key
from .sources import SOURCE_BUNDLED, SOURCE_KGEN, SOURCE_TAGCOMPLETE, SourceInfo

log = logging.getLogger(__name__)

_KEEP_OTHER_INDEXES = 3
_STALE_BUILD_SECONDS = 3600
#: kgen lists have no post counts: their tags rank below any Tag Autocomplete tag,
#: then by relative position in their file (a weak proxy: the lists carry no counts).
_KGEN_RANK_BASE = 1_000_000


def build_index(sources: BulkSources, folder: Path, signature: str | None = None) -> Path:
    """Compile ``sources`` into a new index folder under ``folder`` and return its path."""
    signature = signature or sources.signature()
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    compiled = _compile(sources)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=folder))
    try:
        sizes = _write(compiled, tmp)
        manifest = {
            "format": FORMAT_VERSION,
            "byteorder": sys.byteorder,
            "signature": signature,
            "sizes": sizes,
            "keys": len(compiled.direct),
            "aliases": len(compiled.aliases),
            "sources": [asdict(s) for s in compiled.infos],
            "messages": compiled.messages,
            "built_seconds": round(time.perf_counter() - started, 3),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; other WebUI users may share the index
        target = _free_name(folder, signature)
        try:
            os.replace(tmp, target)
        except OSError:
            if not (target / "manifest.json").exists():
                raise
            shutil.rmtree(tmp, ignore_errors=True)  # another process finished the same build first
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("built tag index %s (%d keys) in %.2fs", target, len(compiled.direct), time.perf_counter() - started)
    _prune(folder, signature)
    return target


def _free_name(folder: Path, signature: str) -> Path:
    """``tagdb-<sig>``, or ``tagdb-<sig>-rN`` when broken copies already hold the plain name."""
    target = folder / f"tagdb-{signature}"
    n = 1
    while target.exists():
        target = folder / f"tagdb-{signature}-r{n}"
        n += 1
    return target


def _prune(folder: Path, signature: str) -> None:
    """Drop old indexes of other signatures (keeping a few) and stale temporary builds."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    now = time.time()
    others = sorted(
        (p for p in entries if p.name.startswith("tagdb-") and not p.name.startswith(f"tagdb-{signature}")),
        key=mtime,
        reverse=True,
    )
    stale_builds = [p for p in entries if p.name.startswith(".build-") and now - mtime(p) > _STALE_BUILD_SECONDS]
    for path in others[_KEEP_OTHER_INDEXES:] + stale_builds:
        shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- compiling


@dataclass
class _Compiled:
    direct: dict[str, tuple[int, str | None, int]]  # key -> (record byte, canonical or None, rank)
    aliases: dict[str, str]  # alias key -> target key
    infos: list[SourceInfo]
    messages: list[str]


def _compile(sources: BulkSources) -> _Compiled:
    direct: dict[str, tuple[int, str | None, int]] = {}
    aliases: dict[str, str] = {}
    infos: list[SourceInfo] = []
    messages: list[str] = []
    cat_index = {c: i for i, c in enumerate(CATEGORIES)}

    if sources.kgen_files:
        kgen_src = SOURCES.index(SOURCE_KGEN) << 4
        folder = sources.kgen_files[0][0].parent
        total, problems = 0, []
        for path, category in sources.kgen_files:
            record = kgen_src | cat_index[category]
            try:
                tags = kgen.read_list(path)
                for line_index, tag in enumerate(tags):
                    key = normalize_key(tag)
                    # Without "_" or "\\" the canonical spelling is the key itself: skip the slow path.
                    canonical = key if "_" not in tag and "\\" not in tag else canonical_name(tag)
                    rank = _KGEN_RANK_BASE - (_KGEN_RANK_BASE * line_index) // len(tags)
                    flag = CANON_FLAG if canonical != key else 0
                    direct[key] = (record | flag, canonical if flag else None, rank)
                    total += 1
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(f"{path}: cannot read ({exc})")
        messages += problems
        infos.append(
            SourceInfo(
                "tipo-kgen tag lists",
                SOURCE_KGEN,
                str(folder),
                total,
                total > 0,
                "; ".join(problems) if problems else None,
            )
        )

    # The bundled snapshot after kgen (it has post counts and Danbooru's current categories),
    # a user's Tag Autocomplete files last (they chose them, and they may be newer).
    for paths, kind, label in (
        (sources.bundled_files, SOURCE_BUNDLED, "bundled Danbooru general tags"),
        (sources.tagcomplete_files, SOURCE_TAGCOMPLETE, "Tag Autocomplete"),
    ):
        for path in paths:
            _add_csv(path, kind, f"{label}: {path.name}", direct, aliases, infos, messages)

    # An alias never hides a real tag, and must lead to one.
    aliases = {a: t for a, t in aliases.items() if a not in direct and t in direct}
    return _Compiled(direct, aliases, infos, messages)


def _add_csv(
    path: Path,
    kind: str,
    label: str,
    direct: dict[str, tuple[int, str | None, int]],
    aliases: dict[str, str],
    infos: list[SourceInfo],
    messages: list[str],
) -> None:
    """One file in Tag Autocomplete's layout: its tags, post-count ranks and aliases."""
    src = SOURCES.index(kind) << 4
    cat_index = {c: i for i, c in enumerate(CATEGORIES)}
    parsed = tagcomplete_csv.read_tag_file(path)
    messages += list(parsed.messages)
    if parsed.rejected:
        messages.append(parsed.rejected)
        infos.append(SourceInfo(label, kind, str(path), 0, False, parsed.rejected))
        return
    alias_count = 0
    for row in parsed.rows:
        key = normalize_key(row.name)
        if not key:
            continue
        canonical = canonical_name(row.name)
        flag = CANON_FLAG if canonical != key else 0
        rank = min(0xFFFFFFFF, _KGEN_RANK_BASE + row.count)
        direct[key] = (src | cat_index[row.category] | flag, canonical if flag else None, rank)
        for alias in row.aliases:
            alias_key = normalize_key(alias)
            if alias_key and alias_key != key:
                aliases.setdefault(alias_key, key)
                alias_count += 1
    problem = f"{len(parsed.messages)} problem(s); first: {parsed.messages[0]}" if parsed.messages else None
    infos.append(SourceInfo(label, kind, str(path), len(parsed.rows) + alias_count, True, problem))


def _write(compiled: _Compiled, folder: Path) -> dict[str, int]:
    keys = marisa_trie.Trie(compiled.direct.keys())
    records = bytearray(len(keys))
    rank = array("I", bytes(4 * len(keys)))
    canon_items = []
    direct = compiled.direct
    for key, key_id in keys.iteritems():
        record, canonical, key_rank = direct[key]
        records[key_id] = record
        rank[key_id] = key_rank
        if canonical is not None:
            canon_items.append((key, canonical.encode("utf-8")))
    canon = marisa_trie.BytesTrie(canon_items)
    alias_trie = marisa_trie.Trie(compiled.aliases.keys())
    targets = array("I", bytes(4 * len(alias_trie)))
    for alias, alias_id in alias_trie.iteritems():
        targets[alias_id] = keys[compiled.aliases[alias]]
    _save_trie(keys, folder / "keys.marisa")
    _save_trie(canon, folder / "canon.marisa")
    _save_trie(alias_trie, folder / "aliases.marisa")
    (folder / "records.bin").write_bytes(bytes(records))
    (folder / "rank.bin").write_bytes(rank.tobytes())
    (folder / "alias_targets.bin").write_bytes(targets.tobytes())
    return {name: (folder / name).stat().st_size for name in FILES}


def _save_trie(trie, path: Path) -> None:
    if len(trie) == 0:
        path.write_bytes(b"")
    else:
        trie.save(str(path))
