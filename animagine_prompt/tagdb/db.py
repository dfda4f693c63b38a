"""The tag knowledge base: one immutable value answering "what is this tag?".

Layers, highest precedence first: the user's overrides, our curated tags,
extra sources from the config (the Danbooru cache), then the mapped bulk index
(Tag Autocomplete's CSVs over our bundled Danbooru general tags over the tipo-kgen
lists). The two small layers are plain dicts checked first; the bulk index is
memory-mapped (see ``index.py``).
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import math
from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from ..categories import Category
from ..tagdb_protocol import TagInfo
from . import kgen, tagcomplete
from .config import BUNDLED_GENERAL, TagDBConfig, resolve
from .curated import load_curated
from .index import CATEGORIES, BulkSources, TagIndex, open_or_build
from .keys import normalize_key, qualifiers
from .names import CharacterNames, NameMatch
from .series import load_character_series
from .sources import SOURCE_CURATED, SOURCE_KGEN, SOURCE_USER, SourceInfo, TagSource
from .user import parse_user_overrides
from .words import general_words, split_words

log = logging.getLogger(__name__)

_MEMO_LIMIT = 1 << 16
_TOP_SOURCES = frozenset({SOURCE_USER, SOURCE_CURATED})
#: Curated and user tags sort above any bulk tag when completing.
_TOP_RANK = 0xFFFFFFFF
#: How many prefix matches ``complete`` ranks, and ``suggest`` compares.
_COMPLETE_SCAN = 8_000
_SUGGEST_SCAN = 20_000
_SUGGEST_MIN_CANDIDATES = 200
_SUGGEST_CUTOFF = 70.0
#: Points of similarity one factor of ten in post count is worth when ranking near-misses:
#: "smlie" is nearer "smplive" (an artist, 83) than "smile" (80), but smile has 2.9M posts.
_POPULARITY_POINTS = 2.0
#: Ranks above this carry a post count (see build.py); kgen's count-less tags rank below.
_COUNTED_RANK = 1_000_000


class TagDB:
    """Resolve, complete and suggest Danbooru tags. Build with :func:`load_tagdb`.

    Immutable once built (the lookup memo is an internal cache), so one value
    can be shared by the formatter, the UI and background threads.
    """

    __slots__ = (
        "_top", "_extras", "_index", "_sources", "_messages", "_memo", "_series", "_names", "_suggested", "_revision",
        "_watched",
    )

    def __init__(
        self,
        *,
        curated: dict[str, TagInfo],
        user: dict[str, TagInfo],
        extras: tuple[TagSource, ...] = (),
        index: TagIndex | None = None,
        sources: tuple[SourceInfo, ...] = (),
        messages: tuple[str, ...] = (),
        series: dict[str, str] | None = None,
        names: CharacterNames | None = None,
        watched: tuple[tuple[Path, object], ...] = (),
    ) -> None:
        top = {key: user.get(normalize_key(info.name), info) for key, info in curated.items()}
        top.update(user)
        self._top = top
        self._extras = extras
        self._index = index
        self._sources = sources
        self._messages = messages
        self._memo: dict[str, tuple[str, TagInfo | None]] = {}
        self._series = series or {}
        self._names = names
        self._suggested: dict[tuple[str, int], list[str]] = {}
        self._revision = _content_digest(top, series or {}, index, names)
        self._watched = watched

    # ------------------------------------------------------------------ panel

    @property
    def sources(self) -> tuple[SourceInfo, ...]:
        """Per-source name, path, entry count and state, for the "tag database" panel."""
        return self._sources

    @property
    def messages(self) -> tuple[str, ...]:
        """One-line problems met while loading (bad lines, missing lists, broken index)."""
        return self._messages

    @property
    def revision(self) -> str | None:
        """Names this table's content: the engine's memos are keyed by it, not by this object.

        Fixed at build time for the user, curated, series and index layers; an extra source
        that can learn (a cache) must name its own current ``revision``, or the table has none
        and nothing it answers is memoised.
        """
        if not self._extras:
            return self._revision
        parts = [self._revision]
        for source in self._extras:
            own = getattr(source, "revision", None)
            if not isinstance(own, str):
                return None
            parts.append(own)
        return "+".join(parts)

    def changed_on_disk(self) -> bool:
        """Whether a file this table was read from (your overrides, the curated lists) changed since.

        The WebUI's knowledge base and the tab then load a fresh table, so an edit made in an
        editor outside them applies to the next generation; a few ``stat`` calls, no reading.
        """
        return any(file_stamp(path) != stamp for path, stamp in self._watched)

    # ------------------------------------------------------------------ lookup

    def lookup(self, text: str) -> TagInfo | None:
        """Resolve a tag as typed (any case, ``_`` or spaces, ``\\(`` or ``(``), or None.

        The memo holds only what cannot change while this value lives (user,
        curated and index answers). Extra sources are asked on every call unless
        a user or curated entry already won, because the Danbooru cache learns
        new tags while the WebUI runs and those must apply to the next generation.
        """
        memo = self._memo
        entry = memo.get(text)
        if entry is None:
            key = normalize_key(text)
            entry = (key, self._resolve_fixed(key))
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[text] = entry
        if self._extras:
            fixed = entry[1]
            if fixed is None or fixed.source not in _TOP_SOURCES:
                return self._from_extras(entry[0]) or fixed
            return fixed
        return entry[1]

    def _resolve(self, key: str) -> TagInfo | None:
        """Full precedence for a normalised key (no memo)."""
        fixed = self._resolve_fixed(key)
        if self._extras and (fixed is None or fixed.source not in _TOP_SOURCES):
            return self._from_extras(key) or fixed
        return fixed

    def _from_extras(self, key: str) -> TagInfo | None:
        if not key:
            return None
        for source in self._extras:
            try:
                found = source.get(key)
            except Exception:  # a broken extra source must not break formatting
                log.exception("tag source %r failed on %r", getattr(source, "name", source), key)
                continue
            if found is not None:
                canonical, category = found
                if not isinstance(category, Category):
                    category = Category.parse(str(category))
                return self._top.get(normalize_key(canonical)) or TagInfo(canonical, category, source.name)
        return None

    def _resolve_fixed(self, key: str) -> TagInfo | None:
        """The answer of the layers that never change while this value lives: user, curated, index."""
        if not key:
            return None
        hit = self._top.get(key)
        if hit is not None:
            return hit
        index = self._index
        if index is not None:
            found = index.find(key)
            if found is not None:
                target, canonical, category, source = found
                if target != key:  # an alias: the tag it names may be curated or overridden
                    hit = self._top.get(target)
                    if hit is not None:
                        return hit
                return TagInfo(canonical, category, source)
        return None

    def _from_index(self, key_id: int) -> TagInfo:
        key, canonical, category, source = self._index.entry(key_id)  # type: ignore[union-attr]
        return self._top.get(key) or TagInfo(canonical, category, source)

    # ------------------------------------------------------------------ helpers for the UI

    def complete(self, prefix: str, categories: Iterable[Category] | None = None, limit: int = 20) -> list[TagInfo]:
        """Tags whose key starts with ``prefix``, exact match first, then most popular.

        Aliases count as matches of the tag they point to (``miku`` -> ``hatsune miku``).
        Only the first ``_COMPLETE_SCAN`` bulk matches are ranked, which only
        matters for one- or two-letter prefixes.
        """
        key = normalize_key(prefix)
        if not key or limit <= 0:
            return []
        wanted = frozenset(categories) if categories is not None else None
        best: dict[str, tuple[tuple[bool, int], TagInfo]] = {}

        def consider(info: TagInfo | None, rank: int) -> None:
            if info is None or (wanted is not None and info.category not in wanted):
                return
            score = (normalize_key(info.name) == key, rank)
            old = best.get(info.name)
            if old is None or old[0] < score:
                best[info.name] = (score, info)

        consider(self._resolve(key), _TOP_RANK)
        for top_key, info in self._top.items():
            if top_key.startswith(key):
                consider(info, _TOP_RANK)
        index = self._index
        if index is not None:
            allowed = None if wanted is None else {i for i, c in enumerate(CATEGORIES) if c in wanted}
            records, rank = index.records, index.rank
            ids = {
                key_id
                for key_id in index.prefixed(key, _COMPLETE_SCAN)
                if allowed is None or records[key_id] & 0x0F in allowed
            }
            for key_id in heapq.nlargest(limit * 2, ids, key=rank.__getitem__):
                consider(self._from_index(key_id), rank[key_id])
        ordered = sorted(best.values(), key=lambda item: (not item[0][0], -item[0][1], len(item[1].name), item[1].name))
        return [info for _, info in ordered[:limit]]

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Near-miss canonical names for a tag that did not resolve, best first.

        Compares against tags sharing the longest prefix (up to 5 characters)
        that still leaves a few hundred candidates, so a typo after the first
        letters is found in a few milliseconds; a typo in the first letter is not.
        Similarity is weighed with post counts, so the common tag wins a near tie.
        """
        key = normalize_key(text)
        if not key or limit <= 0:
            return []
        # By content: the live preview lints the whole prompt on every keystroke, and the same
        # unknown words come back each time (a few ms each). The answer depends only on tables
        # that never change while this value lives, unless an extra source may learn tags.
        if self._extras:
            return self._suggest(key, limit)
        cached = self._suggested.get((key, limit))
        if cached is None:
            cached = self._suggest(key, limit)
            if len(self._suggested) >= _MEMO_LIMIT:
                self._suggested.clear()
            self._suggested[(key, limit)] = cached
        return list(cached)

    def _suggest(self, key: str, limit: int) -> list[str]:
        from rapidfuzz import fuzz, process  # imported on first use: keeps load_tagdb fast

        slack = max(2, len(key) // 3)
        choices: set[str] = {k for k in self._top if abs(len(k) - len(key)) <= slack}
        index = self._index
        if index is not None:
            for n in range(min(len(key), 5), 0, -1):
                found = list(islice(index.keys.iterkeys(key[:n]), _SUGGEST_SCAN))
                found += islice(index.aliases.iterkeys(key[:n]), _SUGGEST_SCAN // 4)
                if len(found) >= _SUGGEST_MIN_CANDIDATES or n == 1:
                    break
            choices.update(k for k in found if abs(len(k) - len(key)) <= slack)
        matches = process.extract(key, list(choices), scorer=fuzz.ratio, limit=limit * 4, score_cutoff=_SUGGEST_CUTOFF)
        ranked: dict[str, tuple[float, int]] = {}
        for choice, score, _ in matches:
            info = self._resolve(choice)
            if info is None:
                continue
            rank = self._rank(choice)
            posts = rank - _COUNTED_RANK if _COUNTED_RANK < rank < _TOP_RANK else 0
            order = (score + _POPULARITY_POINTS * math.log10(1 + posts), rank)
            if info.name not in ranked or ranked[info.name] < order:
                ranked[info.name] = order
        return sorted(ranked, key=lambda name: ranked[name], reverse=True)[:limit]

    def _rank(self, key: str) -> int:
        if key in self._top or self._index is None:
            return _TOP_RANK
        return self._index.rank_of(key)

    def plain_name(self, text: str) -> NameMatch | None:
        """The characters a plain name may mean (``makima``), or None when it names none.

        A tag is no plain name, except an artist only the tipo-kgen list knows: it lists
        every artist ever tagged (581k, no post counts), and ``luffy`` is one of them,
        while the table holds no name that has 25+ posts as a tag. Only candidates this
        database still knows as characters count, so an override that recategorises a
        tag also takes it out of the name table.
        """
        if self._names is None:
            return None
        tag = self.lookup(text)
        if tag is not None and not (tag.category is Category.ARTIST and tag.source == SOURCE_KGEN):
            return None
        found = self._names.match(text)
        if self._names.problem is not None:  # said once, in the log: formatting goes on without names
            log.warning("%s", self._names.problem)
            self._names.problem = None
        if found is None:
            return None
        known = []
        for name, posts in found.candidates:
            info = self.lookup(name)
            if info is not None and info.category is Category.CHARACTER:
                known.append((info.name, posts))
        return NameMatch(found.name, tuple(known)) if known else None

    def all_tag_words(self, text: str) -> bool:
        """Every word of ``text`` is part of some general tag's name or alias (``glass tube``,
        ``dark theme``, ``bangs``): a phrase without a tag of its own, not a typo."""
        words = split_words(text)
        known = general_words(BUNDLED_GENERAL)
        return bool(words) and all(w in known for w in words)

    def series_for_character(self, name: str) -> str | None:
        """The copyright a character tag's qualifier names, or None.

        ``makima (chainsaw man)`` -> ``chainsaw man``; ``saber (fate)`` ->
        ``fate (series)`` (Danbooru's umbrella spelling); a costume qualifier
        such as ``(1st costume)`` names no series -> None; ``hatsune miku`` ->
        ``vocaloid`` from our curated table (``tags/curated/series/characters.csv``).
        """
        key = normalize_key(name)
        for qualifier in qualifiers(key):
            for candidate in (qualifier, f"{qualifier} (series)"):
                info = self.lookup(candidate)
                if info is not None and info.category is Category.COPYRIGHT:
                    return info.name
        # Our curated table, for the most-drawn characters without a qualifier.
        known = self._series.get(key)
        if known is not None:
            info = self.lookup(known)
            if info is not None and info.category is Category.COPYRIGHT:
                return info.name
        # Sources that know a character's series outright (the Danbooru cache's related tags).
        for source in self._extras:
            series_of = getattr(source, "series", None)
            if series_of is None:
                continue
            try:
                found = series_of(key)
            except Exception:  # a broken extra source must not break formatting
                continue
            if found:
                return found[0]
        return None


def file_stamp(path: Path) -> object:
    """What tells a changed file from an unchanged one without reading it (None: not there)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _watched_files(curated_dir: Path, user_file: Path) -> tuple[tuple[Path, object], ...]:
    files = [user_file, curated_dir, curated_dir / "series" / "characters.csv"]
    files += sorted(curated_dir.glob("*.csv")) if curated_dir.is_dir() else []
    return tuple((path, file_stamp(path)) for path in files)


def _content_digest(
    top: dict[str, TagInfo], series: dict[str, str], index: TagIndex | None, names: CharacterNames | None
) -> str:
    """A digest of what the fixed layers answer. The index folder's name carries the signature of
    the bulk files it was built from; the name table is the package's own file."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(repr(list(top.items())).encode())
    digest.update(repr(list(series.items())).encode())
    digest.update(str(index.folder if index is not None else None).encode())
    digest.update(str(names.path if names is not None else None).encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------- loading


def load_tagdb(config: TagDBConfig | None = None) -> TagDB:
    """Assemble the knowledge base; never raises for bad data, reports it in ``messages``.

    The first call for a given set of bulk sources builds the index (seconds);
    later calls, in any process, map it (milliseconds).
    """
    config = config or TagDBConfig()
    paths = resolve(config)
    messages: list[str] = []

    watched = _watched_files(paths.curated_dir, paths.user_file)  # stamped before reading: an edit while
    curated = load_curated(paths.curated_dir)  # loading shows as a change next time
    messages += curated.messages
    series = load_character_series(paths.curated_dir / "series" / "characters.csv")
    messages += series.messages
    user_rows = parse_user_overrides(paths.user_file)
    messages += user_rows.messages
    user = {
        normalize_key(tag): TagInfo(tag, category, SOURCE_USER, _model_of(curated.by_key, tag, category))
        for tag, category in user_rows.rows
    }
    read_failed = any("cannot read" in m for m in user_rows.messages)
    user_info = SourceInfo(
        "your overrides",
        SOURCE_USER,
        str(paths.user_file),
        len(user),
        not read_failed,
        f"{len(user_rows.messages)} problem(s); first: {user_rows.messages[0]}" if user_rows.messages else None,
    )

    kgen_files, kgen_messages = _kgen_files(config.kgen_dir)
    messages += kgen_messages
    tc_files, tc_messages = _tagcomplete_files(config.tagcomplete_dirs)
    messages += tc_messages
    bundled = _bundled_files(config.bundled_files)
    messages += [f"{p}: bundled Danbooru general tags missing; general tags are unknown" for p in bundled.missing]
    bulk = BulkSources(tuple(kgen_files), tuple(tc_files), bundled.present)

    index: TagIndex | None = None
    bulk_infos: tuple[SourceInfo, ...] = ()
    if not bulk.empty:
        index, index_messages = open_or_build(bulk, paths.index_dirs)
        messages += index_messages
        if index is not None:
            messages += index.messages
            bulk_infos = index.sources + (
                SourceInfo("compiled tag index", "index", str(index.folder), len(index), True),
            )

    extra_infos = []
    for source in config.extra_sources:
        try:
            extra_infos.append(source.info())
        except Exception as exc:  # the panel must render even if a source cannot describe itself
            problem = f"tag source {getattr(source, 'name', source)!r} cannot describe itself ({exc})"
            messages.append(problem)
            extra_infos.append(SourceInfo(str(getattr(source, "name", "?")), "extra", None, 0, False, problem))

    for message in messages:
        log.warning("%s", message)
    return TagDB(
        curated=curated.by_key,
        user=user,
        extras=tuple(config.extra_sources),
        index=index,
        sources=(user_info, curated.info, *extra_infos, *bulk_infos),
        messages=tuple(messages),
        series=series.by_key,
        names=CharacterNames(config.names_file),
        watched=watched,
    )


def _model_of(curated: dict[str, TagInfo], tag: str, category: Category) -> str | None:
    """A user override keeps the model marker of the curated tag it recategorises, if any."""
    info = curated.get(normalize_key(tag))
    return info.model if info is not None and info.category is category else None


def _kgen_files(folder: Path | None) -> tuple[list[tuple[Path, Category]], list[str]]:
    folder = Path(folder) if folder is not None else kgen.find_kgen_dir()
    if folder is None:
        return [], [
            "tipo-kgen is not installed: Danbooru character/copyright/artist lists are unavailable "
            "(install with: pip install --no-deps tipo-kgen==0.3.1)"
        ]
    files, messages = [], []
    for path, category in kgen.kgen_files(folder):
        if path.is_file():
            files.append((path, category))
        else:
            messages.append(f"{path}: tipo-kgen tag list missing; its {category.value} tags are unavailable")
    return files, messages


class _Bundled(NamedTuple):
    present: tuple[Path, ...]
    missing: tuple[Path, ...]


def _bundled_files(files: tuple[Path, ...] | None) -> _Bundled:
    wanted = (BUNDLED_GENERAL,) if files is None else tuple(Path(f) for f in files)
    return _Bundled(tuple(p for p in wanted if p.is_file()), tuple(p for p in wanted if not p.is_file()))


def _tagcomplete_files(dirs: tuple[Path, ...] | None) -> tuple[list[Path], list[str]]:
    explicit = dirs is not None
    folders = tuple(Path(d) for d in dirs) if dirs is not None else tagcomplete.find_tagcomplete_dirs()
    files: list[Path] = []
    messages: list[str] = []
    for folder in folders:
        found = tagcomplete.tag_files(folder)
        if not found and explicit:
            messages.append(f"{folder}: no Tag Autocomplete CSV files found")
        files += [f for f in found if f not in files]
    return files, messages
