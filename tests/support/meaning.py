"""What "same meaning" is for two prompts, from the host model in :mod:`hostsem` (test support only).

Why: the formatter reorders comma items and cleans tag spellings; neither may
change what the host conditions on beyond what is documented. The key below is
what the host computes, made insensitive to exactly those documented changes:

* per ``AND`` part (with its weight) and per sampling step, each ``BREAK``
  segment is a *multiset* of items (the engine reorders items inside a segment,
  never across ``BREAK``/``AND``); an item is its comma-separated run of
  ``(text, weight)`` pieces;
* piece text is compared as CLIP reads it (lower case, whitespace collapsed,
  stripped) after the documented normalisation: underscores become spaces
  (not in emoticon tags the knowledge base knows, nor in ``__wildcards__``),
  known tags and aliases take their canonical spelling;
* a schedule or alternation branch that is a known tag counts as its canonical spelling;
* an item that is, as a whole, a known tag (``firefly (honkai: star rail)``,
  possibly inside ``(...)``/``(...:w)``/``[...]``) counts as that tag with its
  own parentheses escaped, so escaping them is not a change of meaning;
* extra networks are compared as a multiset of ``(name, args)``;
* items the engine reports as ``added`` (quality suffix, series, rating) or
  ``removed`` (duplicates) are compared by presence, not count or segment.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from animagine_prompt.categories import Category
from animagine_prompt.tagdb_protocol import TagLookup

from . import hostsem
from .hostsem import A1111, Dialect

__all__ = [
    "Meaning",
    "balanced",
    "differences",
    "exempt_keys",
    "item_keys",
    "meaning",
    "normalise_source",
    "separators",
    "words",
]

Item = tuple[tuple[str, float], ...]

_WS = re.compile(r"\s+")
_INNER_DELIMITER = re.compile(r"([|:])")
_WILDCARD = re.compile(r"__[^\s_,][^\s,]*?__")
_TRAILING_WEIGHT = re.compile(r"(:\s*[+-]?[.\d]+\s*)\Z")
_NETWORK = re.compile(r"<\w+:[^>]+>")
_PART_WEIGHT = re.compile(r"\s*:\s*[-+]?(?:\d+\.?|\d*\.\d+)\s*\Z")


# --- source level: whole items that are known tags ------------------------------------------


_SPLIT_WORD = re.compile(r"\b(?:AND|BREAK)\b")


def _top_level_items(text: str) -> list[tuple[int, int, bool]]:
    """Items at bracket depth 0: ``(start, end, ends_part)``, in text whose comments are gone.

    Items end at a comma, a newline, ``BREAK`` or ``AND`` (escapes and ``<net:...>`` respected);
    ``ends_part`` is set for the last item of an ``AND`` part, which may carry the part's weight.
    """
    spans = []
    depth = 0
    start = i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "<":
            m = _NETWORK.match(text, i)
            if m is not None:
                i = m.end()
                continue
        if c in "AB":
            m = _SPLIT_WORD.match(text, i)
            if m is not None and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
                if depth == 0 or m.group(0) == "AND":
                    spans.append((start, i, m.group(0) == "AND"))
                    if m.group(0) == "AND":
                        depth = 0  # each AND part is read on its own
                    start = i = m.end()
                    continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        elif c in ",\n" and depth == 0:
            spans.append((start, i, False))
            start = i + 1
        i += 1
    spans.append((start, n, True))
    return spans


def _closing(text: str) -> int:
    """Index of the bracket that closes ``text[0]``, or -1."""
    depth = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _escape(name: str) -> str:
    return name.replace("(", "\\(").replace(")", "\\)")


def _canonical_item(core: str, db: TagLookup) -> str | None:
    """``core`` with known tags spelled canonically and escaped, through emphasis wrappers
    (``(tag:1.2)``, ``[tag]``) and inside comma groups (``(a, tag:1.2)``); None if nothing changes."""
    info = db.lookup(core)
    if info is not None:
        return _escape(info.name)
    if len(core) >= 2 and core[0] in "([" and _closing(core) == len(core) - 1:
        inner = core[1:-1]
        suffix = ""
        if core[0] == "(":
            m = _TRAILING_WEIGHT.search(inner)
            if m is not None:
                inner, suffix = inner[: m.start()], m.group(1)
        elif _has_top_level(inner, ":|"):
            # a schedule or an alternation (or, where the host reads none, emphasis with colons):
            # only the groups inside are respelled, and never so as to add a field
            grouped = _canonical_groups(inner, db)
            if grouped == inner or grouped.count(":") != inner.count(":") or grouped.count("|") != inner.count("|"):
                return None
            return "[" + grouped + "]"
        stripped = inner.strip()
        if not stripped:
            return None
        got = _canonical_item(stripped, db)
        if got is None:
            listed = _canonical_list(inner, db, top=False)
            got = None if listed == inner else listed
        if got is not None:
            return core[0] + got + suffix + core[-1]
    return None


def _canonical_groups(text: str, db: TagLookup) -> str:
    """The parts of a longer item (``1boy (1girls:1)``, ``[a:b:5] hsr``): each bracket group and
    each plain run between groups through :func:`_canonical_item`."""
    pieces: list[str] = []
    i = run = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c in "([":
            end = _closing(text[i:])
            if end > 0:
                pieces.append(text[run:i])
                pieces.append(text[i : i + end + 1])
                i = run = i + end + 1
                continue
        i += 1
    pieces.append(text[run:])
    if len(pieces) == 1:
        return text
    out = []
    for piece in pieces:
        core = piece.strip()
        got = _canonical_item(core, db) if core else None
        out.append(piece if got is None else piece.replace(core, got, 1))
    return "".join(out)


def _has_top_level(text: str, chars: str) -> bool:
    depth = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif depth == 0 and c in chars:
            return True
        i += 1
    return False


def _canonical_list(text: str, db: TagLookup, *, top: bool = True) -> str:
    """Each comma item of ``text`` through :func:`_canonical_item`, separators kept.

    ``top``: ``text`` is a whole prompt, whose ``AND`` parts may end in a ``:weight``."""
    out = []
    last = 0
    for start, end, ends_part in _top_level_items(text):
        raw = text[start:end]
        core = raw.strip()
        if ends_part and top:
            m = _PART_WEIGHT.search(core)
            if m is not None:
                core = core[: m.start()].rstrip()
        if not core:
            continue
        got = _canonical_item(core, db)
        if got is None:
            grouped = _canonical_groups(core, db)
            got = None if grouped == core else grouped
        if got is not None and got != core:
            lead = start + (len(raw) - len(raw.lstrip()))
            out.append(text[last:lead])
            out.append(got)
            last = lead + len(core)
    out.append(text[last:])
    return "".join(out)


def normalise_source(prompt: str, db: TagLookup) -> str:
    """Rewrite each item that is a known tag into its canonical, escaped spelling (comments
    already stripped, in the dialect's own way: what is a comment differs between hosts)."""
    return _canonical_list(prompt, db)


# --- host level: the key ------------------------------------------------------------------------


def _branch_respeller(db: TagLookup):
    """A schedule/alternation branch that is a known tag counts as its canonical, escaped spelling."""

    @lru_cache(maxsize=1024)
    def respell(text: str) -> str:
        core = text.strip()
        if not core:
            return text
        got = _canonical_item(core, db)
        if got is None:
            return text
        start = text.index(core)
        return text[:start] + got + text[start + len(core) :]

    return respell


def _piece_normaliser(db: TagLookup | None, replace_underscores: bool, plain_names: bool = False):
    """``plain_names``: a name the database says surely means one character (``miku``) is
    that character's tag, on both sides, as an alias is (the engine reports the rewrite)."""
    plain_name = getattr(db, "plain_name", None) if plain_names else None

    @lru_cache(maxsize=4096)
    def norm(piece: str) -> str:
        raw = piece.strip()
        if not raw:
            return ""
        if db is not None:
            info = db.lookup(raw)
            if plain_name is not None and (info is None or info.category is Category.ARTIST):
                match = plain_name(raw)
                if match is not None and match.unique is not None:
                    return match.unique.lower()
            if info is not None:
                return info.name.lower()
            if _INNER_DELIMITER.search(raw):
                # `|` and `:` the host kept as text (an unparseable alternation, a stray colon):
                # the words between them are still tags the engine may respell.
                return "".join(norm(p) if k % 2 == 0 else p for k, p in enumerate(_INNER_DELIMITER.split(raw)))
        text = raw.lower()
        if replace_underscores and "_" in text:
            keep = _WILDCARD.findall(text)
            parts = _WILDCARD.split(text)
            text = "".join(p.replace("_", " ") + (keep[k] if k < len(keep) else "") for k, p in enumerate(parts))
        return _WS.sub(" ", text).strip()

    return norm


def _segments(fragments, norm) -> list[Counter]:
    segments: list[Counter] = [Counter()]
    current: list[tuple[str, float]] = []

    def close() -> None:
        if current:
            segments[-1][tuple(current)] += 1
            current.clear()

    for text, weight in fragments:
        if text == "BREAK" and weight == -1:
            close()
            segments.append(Counter())
            continue
        for k, piece in enumerate(text.split(",")):
            if k:
                close()
            t = norm(piece)
            if t:
                current.append((t, round(weight, 6)))
    close()
    return segments


@dataclass(frozen=True)
class Meaning:
    """What the host conditions on, per ``AND`` part: ``(weight, segments at step 1..N)``."""

    networks: Counter
    parts: tuple[tuple[float, tuple[tuple[Counter, ...], ...]], ...]


def meaning(
    prompt: str,
    db: TagLookup | None,
    *,
    dialect: Dialect = A1111,
    steps: int = 28,
    replace_underscores: bool = True,
    negative: bool = False,
    reader: Callable[[str, int, bool], hostsem.HostView] | None = None,
    plain_names: bool = False,
) -> Meaning:
    """The comparison key of ``prompt`` (raises :class:`hostsem.HostError` where the host would).

    ``reader(text, steps, negative)``: another reading of the text than this model's, such as
    the real host's in ``tests/hostparser`` (it sees the spelling-normalised text, but schedule
    branches are compared as the host spells them: the real host has no respelling hook)."""
    # Comments go first, in the dialect's own way: a bracket or comma inside one is no bracket or
    # comma to the host, and which text is a comment differs between hosts (`//` only on reForge).
    source = hostsem.strip_comments(prompt, dialect)
    source = normalise_source(source, db) if db is not None else source
    respell = _branch_respeller(db) if db is not None else None
    if reader is None:
        view = hostsem.host_view(source, steps, dialect=dialect, negative=negative, respell=respell)
    else:
        view = reader(source, steps, negative)
    norm = _piece_normaliser(db, replace_underscores, plain_names)
    parts = []
    for weight, runs in view.parts:
        per_step: list[tuple[Counter, ...]] = []
        for last_step, fragments in runs:
            segs = tuple(_segments(fragments, norm))
            per_step.extend([segs] * (last_step - len(per_step)))
        parts.append((round(weight, 6), tuple(per_step)))
    networks = Counter(view.networks)
    return Meaning(networks, tuple(parts))


def item_keys(
    text: str,
    db: TagLookup | None,
    *,
    replace_underscores: bool = True,
    dialect: Dialect = A1111,
    plain_names: bool = False,
) -> set[Item]:
    """The items ``text`` (e.g. one ``Change.text``) stands for, as keyed by :func:`meaning`."""
    try:
        m = meaning(
            text, db, dialect=dialect, replace_underscores=replace_underscores, negative=True, plain_names=plain_names
        )
    except hostsem.HostError:
        return set()
    return {item for _, steps in m.parts for segs in steps for seg in segs for item in seg}


def exempt_keys(
    changes: Iterable,
    db: TagLookup | None,
    *,
    replace_underscores: bool = True,
    dialect: Dialect = A1111,
    plain_names: bool = False,
) -> set[Item]:
    """Items the engine reports as added (suffix, series, rating) or removed (duplicates).

    An item's reading depends on its prompt: when the host's schedule parser fails on the
    whole prompt (a top-level ``|``, say), ``[a:b:0.5]`` is read as plain emphasis. So each
    reported text is keyed both alone and with a top-level ``|`` that forces that reading.
    """
    items: set[Item] = set()
    for change in changes:
        if change.kind in ("added", "removed"):
            for text in (change.text, change.original):
                if text:
                    for context in (text, f"{text}, |"):
                        items |= item_keys(
                            context, db, replace_underscores=replace_underscores, dialect=dialect,
                            plain_names=plain_names,
                        )
    return items


def differences(before: Meaning, after: Meaning, exempt: Iterable[Item] = ()) -> list[str]:
    """Human-readable differences in meaning; empty when the two prompts mean the same.

    ``exempt`` items (reported as added or removed by the engine) are compared by presence
    per step: one the input had must still be somewhere in the output at that step.
    """
    exempt = frozenset(exempt)
    out: list[str] = []
    if before.networks != after.networks:
        out.append(f"extra networks differ: {dict(before.networks)} != {dict(after.networks)}")
    if len(before.parts) != len(after.parts):
        return [*out, f"AND parts: {len(before.parts)} != {len(after.parts)}"]
    for p, ((w1, steps1), (w2, steps2)) in enumerate(zip(before.parts, after.parts)):
        if w1 != w2:
            out.append(f"AND part {p}: weight {w1} != {w2}")
        for s, (segs1, segs2) in enumerate(zip(steps1, steps2), start=1):
            where = f"AND part {p}, step {s}"
            if len(segs1) != len(segs2):
                out.append(f"{where}: BREAK segments {len(segs1)} != {len(segs2)}")
                break
            for k, (c1, c2) in enumerate(zip(segs1, segs2)):
                a = Counter({i: n for i, n in c1.items() if i not in exempt})
                b = Counter({i: n for i, n in c2.items() if i not in exempt})
                if a != b:
                    out.append(f"{where}, segment {k}: lost {dict(a - b)}, gained {dict(b - a)}")
            present = {i for seg in segs2 for i in seg}
            missing = {i for seg in segs1 for i in seg if i in exempt} - present
            if missing:
                out.append(f"{where}: lost {sorted(missing)}")
            if out:
                break
    return out


def words(m: Meaning) -> set:
    """Every piece of text the host sees (any part, step, weight) and every extra network."""
    found: set = {("<net>", name, args) for name, args in m.networks}
    for _, steps in m.parts:
        for segs in steps:
            for seg in segs:
                for item in seg:
                    found.update(text for text, _ in item)
    return found


def separators(m: Meaning) -> tuple[tuple[int, ...], ...]:
    """Number of ``BREAK``s at each step, per ``AND`` part: the prompt's skeleton."""
    return tuple(tuple(len(segs) - 1 for segs in steps) for _, steps in m.parts)


_BRACKET = re.compile(r"\\.|:\s*[+-]?[.\d]+\s*\)|[()\[\]]", re.S)


def balanced(prompt: str) -> bool:
    """True when every emphasis bracket the host sees is closed by its own kind, in order."""
    stack: list[str] = []
    for m in _BRACKET.finditer(_NETWORK.sub("", prompt)):
        tok = m.group(0)
        if tok[0] == "\\":
            continue
        if tok in "([":
            stack.append(tok)
        elif tok == "]":
            if not stack or stack.pop() != "[":
                return False
        elif not stack or stack.pop() != "(":
            return False
    return not stack


def as_separated(prompt: str, changes: Iterable, dialect: str = "a1111") -> str:
    """The input with the engine's reported ``separated`` changes applied.

    Splitting tags written one per line is a change of meaning the engine reports (the host
    reads ``solo⏎long hair`` as one item); the output keeps the meaning of the input *as
    separated*, so that is what the output is compared with. ``dialect``: the one the engine was
    told, which decides the AND parts it keeps exactly as written (reForge's empty repeat groups).
    """
    for change in changes:
        if change.kind != "separated":
            continue
        at = _item_occurrence(prompt, change.original, dialect)
        if at >= 0:
            prompt = prompt[:at] + change.text + prompt[at + len(change.original):]
    return prompt


def _item_occurrence(prompt: str, item: str, dialect: str = "a1111") -> int:
    """Where ``item`` stands as a whole item at bracket depth 0 (the engine separates only those).

    The same text can also stand inside an unclosed ``(`` of an earlier ``AND`` part, or in a part
    the engine keeps exactly as written, where it was not separated; the first occurrence that
    starts an item elsewhere is the one meant.
    """
    at = prompt.find(item)
    while at >= 0:
        before = prompt[:at]
        part = re.split(r"\bAND\b", before)[-1]
        lead = part.rstrip()
        starts_item = not lead or lead.endswith(",") or re.search(r"\bBREAK\Z", lead) is not None
        if (
            starts_item and _depth(part) == 0 and _ends_item(item, prompt[at + len(item):])
            and not _kept_as_written(part + re.split(r"\bAND\b", prompt[at:])[0], dialect)
        ):
            return at
        at = prompt.find(item, at + 1)
    return prompt.find(item)


def _kept_as_written(part: str, dialect: str) -> bool:
    """Whether the engine leaves this AND part untouched: under reForge, a part holding an empty
    repeat group (the engine's own rule, ``syntax/repeat.py``; which part it touched is a fact
    about the engine, not about what the host reads)."""
    from animagine_prompt.syntax.dialect import get_dialect
    from animagine_prompt.syntax.parse import parse_part
    from animagine_prompt.syntax.repeat import weights_all_before

    engine_dialect = get_dialect(dialect)
    items = (it.source for seg in parse_part(part, engine_dialect).segments for it in seg.items)
    return any(weights_all_before(text, engine_dialect) for text in items)


_ITEM_END = re.compile(r"\s*(?:,|#|//|/\*|\Z)|\s*:\s*[-+]?[.\d]+\s*(?:\Z|AND\b)")
_SPLIT_AFTER = re.compile(r"\s*(?:BREAK|AND)\b")


def _ends_item(item: str, rest: str) -> bool:
    """Whether the text after an occurrence ends the item there (``0⏎1girls`` is no item inside
    ``0⏎1girlsBREAK``): a comma, a comment, the end, a part weight, or a BREAK/AND the host
    splits at (not one glued to a word, which is text)."""
    if _ITEM_END.match(rest):
        return True
    glued = bool(rest) and not rest[0].isspace() and (item[-1:].isalnum() or item[-1:] == "_")
    return not glued and _SPLIT_AFTER.match(rest) is not None


def _depth(text: str) -> int:
    depth = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        i += 1
    return depth
