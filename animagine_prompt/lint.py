"""Warnings about a prompt or its settings: reported, never silently fixed, never raised."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from .categories import Category
from .classify import Analysis
from .presets import Preset
from .result import Diagnostic
from .tagdb_protocol import TagLookup

_STOPWORDS = frozenset(
    "a an the is are was were be with and of in on at to while who which that this her his their its "
    "she he they it there from into onto by for very".split()
)


# With Danbooru's general tags bundled, an unknown word of five letters or more is most
# likely a typo ("smlie"); a swap of two letters scores 80 on rapidfuzz's ratio.
_MIN_SUGGEST_LEN = 5
_MIN_SIMILARITY = 80.0


def _max_edits(key: str) -> int:
    """Typos a near-miss may be apart: one in a short word (``smlie``), more in longer text;
    ``kawaii`` is two from ``kawajiri``, which is another word, not a slip of the finger."""
    return 1 if len(key) <= 6 else 2 if len(key) <= 12 else 3


def _all_real_words(written: str, db: TagLookup) -> bool:
    """Every word is one some general tag uses: a phrase the data has no tag for, not a typo."""
    real_words = getattr(db, "all_tag_words", None)  # in-memory test tables have no word list
    return real_words is not None and bool(real_words(written))


def _close_matches(written: str, candidates: Sequence[str], db: TagLookup) -> list[str]:
    """Near-misses worth showing. Artist names are left out: there are 581k of them, and
    ordinary general tags ("night", "casual") nearly always sit one letter from one."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import OSA

    key = written.lower().replace("_", " ").replace("\\", "")
    if _all_real_words(key, db):
        return []
    out = []
    for c in candidates:
        if c == key or fuzz.ratio(key, c) < _MIN_SIMILARITY or OSA.distance(key, c) > _max_edits(key):
            continue
        info = db.lookup(c)
        if info is not None and info.category is not Category.ARTIST:
            out.append(c)
    return out[:3]


def _count_conflict(names: set[str]) -> bool:
    """Two counts of one group disagree. ``multiple girls`` is what Danbooru implies from
    ``2girls`` (and any larger count), so it only disagrees with ``1girl``."""
    counts = {n for n in names if not n.startswith("multiple ")}
    return len(counts) > 1 or (len(counts) < len(names) and any(n.startswith("1") for n in counts))


def _name_candidates(written: str, db: TagLookup) -> list[str]:
    """The characters a plain name may mean, when there are several (else [])."""
    plain_name = getattr(db, "plain_name", None)  # in-memory test tables have no name table
    match = plain_name(written) if plain_name is not None else None
    if match is None or not match.ambiguous:
        return []
    return [name for name, _ in match.candidates]


def _either(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _is_ascii(text: str) -> bool:
    return all(ord(ch) < 128 for ch in text)


def _people_group(name: str) -> str | None:
    if name == "no humans":
        return "none"
    for g in ("girl", "boy", "other"):
        if name.endswith(g) or name.endswith(g + "s"):
            return g
    return None


def lint_prompt(
    analyses: Sequence[Analysis],
    preset: Preset,
    db: TagLookup,
    *,
    suggest: bool,
    max_suggestions: int = 8,
    plain_names: bool = True,
) -> list[Diagnostic]:
    """Findings over the items of one prompt, in the order a user would fix them.

    ``plain_names``: the formatter rewrites names that surely mean one character, so
    a name it kept means several, and the user is told which (unless names are off).
    """
    out: list[Diagnostic] = []
    people: dict[str, set[str]] = {}
    ratings: list[str] = []
    weights: dict[str, set[str]] = {}
    bad_quality = set(preset.negative)
    suggested = 0
    if not any(a.leaves or a.has_network for a in analyses):
        out.append(Diagnostic("empty-prompt", "the prompt is empty: only the preset's quality tags will be sent"))
    for a in analyses:
        if not a.original.balanced:
            out.append(Diagnostic("unbalanced", f"unbalanced brackets in {a.key!r}: its segment is left in place",
                                  a.key))
        for leaf in a.leaves:
            info = leaf.info
            if info is None:
                words = leaf.written.split()
                lowered = {w.lower().strip(".,!?") for w in words}
                names = _name_candidates(leaf.written, db) if plain_names else []
                if names:
                    out.append(Diagnostic(
                        "ambiguous-name",
                        f"{leaf.written!r} may be {_either(names)}: kept as written; write the tag you mean",
                        leaf.written, names[0]))
                elif len(words) >= 4 and lowered & _STOPWORDS:
                    out.append(Diagnostic(
                        "natural-language",
                        f"{leaf.written!r} reads like a sentence; Animagine XL was trained on Danbooru tags",
                        leaf.written))
                elif not _is_ascii(leaf.written):
                    out.append(Diagnostic(
                        "non-ascii", f"{leaf.written!r} is not a Danbooru tag: Animagine XL was trained on Danbooru's "
                        "English, romanised tags (e.g. 'hatsune miku'), so this text is mostly noise to it",
                        leaf.written))
                elif suggest and suggested < max_suggestions and len(leaf.written) >= _MIN_SUGGEST_LEN:
                    suggested += 1
                    hits = _close_matches(leaf.written, db.suggest(leaf.written, 5), db)
                    if hits:
                        out.append(Diagnostic("unknown-tag", f"unknown tag {leaf.written!r}: did you mean "
                                              f"{', '.join(repr(h) for h in hits)}?", leaf.written, hits[0]))
                continue
            if info.category is Category.PEOPLE:
                group = _people_group(info.name)
                if group is not None:
                    people.setdefault(group, set()).add(info.name)
            elif info.category is Category.RATING:
                if info.name not in ratings:
                    ratings.append(info.name)
            if info.category in (Category.QUALITY, Category.SCORE) and info.name in bad_quality:
                out.append(Diagnostic("negative-quality", f"{info.name!r} is a negative-quality tag in the "
                                      "positive prompt; it belongs in the negative prompt", info.name))
            # An empty model_tags: the preset's model has its own vocabulary, which the lists do not describe.
            if preset.model_tags and info.model is not None and info.model != preset.model_tags:
                if info.model == "pony":
                    message = (f"{info.name!r} is Pony Diffusion vocabulary; {preset.title} was not trained on it "
                               "(kept as written)")
                else:
                    message = f"{info.name!r} is an Animagine XL {info.model} tag; {preset.title} does not know it"
                out.append(Diagnostic("model-mismatch", message, info.name))
        tag = a.tag
        if tag is not None and tag.info is not None:
            weights.setdefault(tag.info.name, set()).add(a.key)
    for group, names in people.items():
        if group == "none" and len(people) > 1:
            out.append(Diagnostic("people-conflict", "'no humans' conflicts with "
                                  + ", ".join(sorted(n for g, ns in people.items() if g != "none" for n in ns)),
                                  "no humans"))
        elif group != "none" and _count_conflict(names):
            out.append(Diagnostic("people-conflict", f"conflicting people counts: {', '.join(sorted(names))}",
                                  sorted(names)[0]))
    if len(ratings) > 1:
        out.append(Diagnostic("rating-conflict", f"conflicting ratings: {', '.join(ratings)}", ratings[0]))
    for name, keys in weights.items():
        if len(keys) > 1:
            out.append(Diagnostic("weight-conflict", f"{name!r} appears with different weights: "
                                  + ", ".join(sorted(keys)) + " (all kept)", name))
    return out


def lint_length(
    parts: Sequence[Sequence[Analysis | None]], count: Callable[[str], int], *, exact: bool
) -> list[Diagnostic]:
    """One note when a prompt runs over CLIP's 75-token chunks: how many it makes, where each opens.

    ``parts``: each AND part's output items in order, None where a ``BREAK`` stands. An
    item costs its tags' tokens plus its comma (weights, brackets and ``<lora:…>`` are not
    text to the encoder; both sides of a schedule count, the larger case). Whole items fill
    a chunk until the next does not fit, as the host's comma backtracking keeps them whole.
    ``exact``: counted with CLIP's own merge table; else ``count`` is an estimate and the
    note says so. A prompt split only by the user's own ``BREAK`` gets no note.
    """
    worst: tuple[int, int, list[str]] | None = None  # (chunks, tokens, opening tags of chunks 2..)
    for items in parts:
        chunks = [0]
        opening: list[str] = []
        overflowed = False
        fresh = False
        for a in items:
            if a is None:
                if chunks[-1]:
                    chunks.append(0)
                    fresh = True
                continue
            cost = sum(count(leaf.written) for leaf in a.leaves) + 1
            if chunks[-1] and chunks[-1] + cost > 75:
                chunks.append(0)
                overflowed = fresh = True
            if fresh and a.leaves:
                opening.append(a.leaves[0].written)
                fresh = False
            chunks[-1] += cost
        if overflowed and (worst is None or len(chunks) > worst[0]):
            worst = (len(chunks), sum(chunks), opening)
    if worst is None:
        return []
    n, tokens, opening = worst
    how = f"{tokens} tokens by CLIP's vocabulary" if exact else f"about {tokens} tokens: no CLIP vocabulary here"
    where = "; ".join(f"chunk {k} opens at {tag!r}" for k, tag in enumerate(opening[:4], start=2))
    return [Diagnostic("chunks", f"the prompt makes {n} chunks of 75 tokens ({how}); {where}", level="note")]


def lint_settings(
    preset: Preset,
    *,
    width: int | None,
    height: int | None,
    cfg_scale: float | None,
    steps: int | None,
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if width is not None and height is not None:
        if max(width, height) > preset.max_side:
            out.append(Diagnostic("size-too-large", f"{width}×{height} is above {preset.max_side} px: the model was "
                                  "trained at SDXL sizes and degrades; use hires fix for more pixels",
                                  f"{width}x{height}"))
        elif (width, height) not in preset.resolutions:
            out.append(Diagnostic("size-off-bucket", f"{width}×{height} is not one of the model's training "
                                  "resolutions", f"{width}x{height}"))
    if cfg_scale is not None and not preset.cfg_range[0] <= cfg_scale <= preset.cfg_range[1]:
        out.append(Diagnostic("cfg-range", f"CFG {cfg_scale:g} is outside the recommended "
                              f"{preset.cfg_range[0]:g}-{preset.cfg_range[1]:g} ({preset.cfg_scale:g} recommended)",
                              str(cfg_scale)))
    if steps is not None and not preset.steps_range[0] <= steps <= preset.steps_range[1]:
        out.append(Diagnostic("steps-range", f"{steps} steps is outside the recommended "
                              f"{preset.steps_range[0]}-{preset.steps_range[1]} ({preset.steps} recommended)",
                              str(steps)))
    return out


def unique(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for d in diagnostics:
        k = (d.code, d.message)
        if k not in seen:
            seen.add(k)
            out.append(d)
    return tuple(out)
