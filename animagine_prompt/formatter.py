"""The one entry point: a user's prompt in, an Animagine-ordered prompt out.

Data flows one way: text → ``syntax.parse`` → ``classify.analyse`` per item →
additions (series, rating, quality suffix) as new items → ``order.order_items``
per segment → rendered text. Nothing crosses a ``BREAK``, a comment line or an
``AND``; a segment with an unbalanced bracket is never reordered.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .categories import Category
from .classify import Analysis, Normaliser, analyse, escape_tag
from .clip_bpe import default_counter
from .lint import lint_length, lint_prompt, lint_settings, unique
from .memo import ContentMemo, revision_of
from .options import FormatOptions
from .order import order_items
from .presets import Preset
from .resolution import snap_resolution
from .result import Change, Diagnostic, FormatResult, GenerationSettings, TaggedItem
from .syntax import Boundary, Item, Part, Prompt, Segment, Text, parse, render
from .syntax.dialect import Dialect, get_dialect, has_comment
from .syntax.lines import split_lines
from .syntax.parse import host_reads_schedules, in_comment, trailing_weight
from .syntax.repeat import weights_all_before
from .tagdb_protocol import TagLookup
from .tokens import approximate_tokens

log = logging.getLogger(__name__)

_QUALIFIER = re.compile(r"^(.+?) \(([^()]+)\)$")


@dataclass(frozen=True, slots=True)
class _Out:
    """An item placed in the output: analysed user text or one of our additions."""

    analysis: Analysis
    index: int  # position in the input segment; -1 for additions


def _synthetic(name: str, norm: Normaliser) -> Analysis:
    text = escape_tag(name)
    return analyse(Item((Text(text),), True, text), norm)


def series_of(info_name: str, db: TagLookup) -> str | None:
    """The series a character belongs to: the knowledge base's answer when it has one
    (qualifier, umbrella spelling, Danbooru cache), else the qualifier if it names a series."""
    known = getattr(db, "series_for_character", None)
    if known is not None:
        return known(info_name)
    m = _QUALIFIER.match(info_name)
    if m is None:
        return None
    hit = db.lookup(m.group(2))
    if hit is not None and hit.category is Category.COPYRIGHT:
        return hit.name
    return None


_FRANCHISE_QUALIFIER = re.compile(r" \((?:series|franchise)\)$")


def _franchise_written(series: str, written: Sequence[str]) -> bool:
    """True when the prompt already names ``series``'s franchise: ``idolmaster`` for
    ``idolmaster shiny colors``, ``fate (series)`` for ``fate/stay night``, ``pokemon`` for
    ``pokemon (anime)``. The user chose how to name the work; a second series tag would only
    repeat it (issue 13: never a second series when an equivalent one is in the prompt)."""
    for name in written:
        base = _FRANCHISE_QUALIFIER.sub("", name)
        if len(base) >= 4 and series != name and series.startswith(base) and series[len(base):][:1] in (" ", "/", ":"):
            return True
    return False


def _names(analyses: Sequence[Analysis]) -> set[str]:
    """Every tag present, by canonical name (known) or lower-cased text (unknown)."""
    return {leaf.info.name if leaf.info is not None else leaf.written.lower() for a in analyses for leaf in a.leaves}


def _append_at(items: Sequence[Item]) -> int:
    """Where additions go in a segment: at the end, or before a last item whose bracket
    never closes (the host closes it at the very end, so it would swallow them)."""
    return len(items) - 2 if items and not items[-1].balanced else len(items) - 1


def _moved(indices: list[int]) -> set[int]:
    """Input indices not on a longest increasing run: the items a reader sees move."""
    import bisect

    tails: list[int] = []
    tails_at: list[int] = []
    prev: dict[int, int] = {}
    for pos, v in enumerate(indices):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tails_at.append(pos)
        else:
            tails[k] = v
            tails_at[k] = pos
        prev[pos] = tails_at[k - 1] if k > 0 else -1
    keep: set[int] = set()
    pos = tails_at[-1] if tails_at else -1
    while pos >= 0:
        keep.add(indices[pos])
        pos = prev[pos]
    return {v for v in indices if v not in keep}


class _PartFormatter:
    """Formats one AND-part; collects changes and analyses for lint."""

    def __init__(self, part: Part, preset: Preset, options: FormatOptions, norm: Normaliser) -> None:
        self.part = part
        self.preset = preset
        self.options = options
        self.norm = norm
        self.dialect = get_dialect(options.dialect)
        self.changes: list[Change] = []
        self.analysed: list[Analysis] = []
        self.tags: list[TaggedItem] = []
        self.placed: list[Analysis | None] = []  # the output's items in order, None for a BREAK
        self.notes: list[Diagnostic] = []  # why a part was left alone, for the user to read

    def run(self) -> str:
        items = (it.source for seg in self.part.segments for it in seg.items)
        group = next((text for text in items if weights_all_before(text, self.dialect)), None)
        if group is not None:
            # reForge's "(:x2.5)" weights every entry before it in the part, BREAKs too (which then
            # stop being BREAKs, so even the commas around them count): the part stays as written.
            self.notes.append(
                Diagnostic(
                    "kept-as-written",
                    f"{group!r} holds no text: reForge gives its weight to everything before it in its part, "
                    "so that part is kept exactly as written, with no quality tags added; give the group text "
                    "(or remove it) to have the part formatted",
                    group,
                )
            )
            # Its items are still linted (and it is no empty prompt), though none is moved or respelled.
            self.analysed = [analyse(it, self.norm) for seg in self.part.segments for it in seg.items]
            return render(Prompt((self.part,), ())).strip(" ")  # the AND between parts brings its spaces
        self.part = self._one_tag_per_line(self.part)
        segs = [[analyse(item, self.norm) for item in seg.items] for seg in self.part.segments]
        for seg in segs:
            self.analysed.extend(seg)
        present = _names(self.analysed)
        additions: list[list[tuple[int, Analysis]]] = [[] for _ in segs]  # (insert after input index, item)
        pinned = [any(not it.balanced for it in seg.items) for seg in self.part.segments]

        if self.options.add_series:
            written_series = [
                a.tag.info.name for a in self.analysed
                if a.tag is not None and a.tag.info is not None and a.tag.info.category is Category.COPYRIGHT
            ]
            for s, seg in enumerate(segs):
                if pinned[s]:
                    continue
                for i, a in enumerate(seg):
                    tag = a.tag
                    if tag is None or tag.info is None or tag.info.category is not Category.CHARACTER:
                        continue
                    series = series_of(tag.info.name, self.norm.db)
                    if series is not None and series not in present and not _franchise_written(series, written_series):
                        present.add(series)
                        j = i
                        while j + 1 < len(seg) and seg[j + 1].category is Category.COPYRIGHT:
                            j += 1
                        additions[s].append((j, _synthetic(series, self.norm)))
                        self._added(series, f"series of {tag.info.name}")

        rating = self.preset.rating_tag(self.options.rating) if self.options.rating else None
        if rating and rating not in present and not any(a.category is Category.RATING for a in self.analysed):
            target = next((s for s, seg in enumerate(segs) if any(
                a.category in (Category.PEOPLE, Category.CHARACTER) for a in seg)), 0)
            if not pinned[target]:
                additions[target].append((len(segs[target]) - 1, _synthetic(rating, self.norm)))
                self._added(rating, "rating")

        last = len(segs) - 1
        if self.options.append_quality:
            # A suffix tag counts as present only as an item of its own (weighted or not):
            # inside a schedule or a group it is there only at some steps, or mixed with others.
            whole = {a.tag.info.name for a in self.analysed if a.tag is not None and a.tag.info is not None}
            at_start = self.preset.quality_position == "start"
            at = -1 if at_start else _append_at(self.part.segments[last].items)
            for name in self.preset.quality_suffix:
                if name not in whole:
                    whole.add(name)
                    additions[0 if at_start else last].append((at, _synthetic(name, self.norm)))
                    self._added(name, "quality prefix" if at_start else "quality suffix")

        rendered = [self._segment(s, seg, additions[s], pinned[s]) for s, seg in enumerate(segs)]
        return self._join(rendered, pinned)

    def _one_tag_per_line(self, part: Part) -> Part:
        """Tags written one per line without commas become items of their own.

        To the host a line break is a space (``solo⏎long hair`` is the one item "solo long
        hair"), but one tag per line is what the user meant: each piece is then ordered,
        respelled and deduplicated like any tag. It changes what CLIP reads (a comma between
        the tags), so it is reported (``separated``), and only done where a line is a known
        tag no line reads like prose (more than four words) and none holds a comment.
        """
        segments = []
        for seg in part.segments:
            items: list[Item] = []
            for item in seg.items:
                pieces = split_lines(item)
                if len(pieces) > 1 and self._lines_are_tags(pieces):
                    items.extend(pieces)
                    joined = ", ".join(p.source for p in pieces)
                    self.changes.append(Change("separated", joined, item.source, "one tag per line"))
                else:
                    items.append(item)
            if len(items) == len(seg.items):
                segments.append(seg)
            else:
                segments.append(Segment(tuple(items), ("",) + (", ",) * (len(items) - 1) + ("",)))
        return replace(part, segments=tuple(segments))

    def _lines_are_tags(self, pieces: Sequence[Item]) -> bool:
        # A comment line ends at its line break: joined to the next piece it would swallow it.
        if any(len(p.source.split()) > 4 or has_comment(p.source, self.dialect) for p in pieces):
            return False
        return any(self.norm.db.lookup(p.source) is not None for p in pieces)

    def _added(self, text: str, reason: str) -> None:
        self.changes.append(Change("added", escape_tag(text), "", reason))

    def _segment(self, s: int, seg: list[Analysis], adds: list[tuple[int, Analysis]], pinned: bool) -> list[_Out]:
        # Merge additions into input order first: ordering then treats them like user items.
        merged: list[_Out] = []
        by_pos: dict[int, list[Analysis]] = {}
        for at, a in adds:
            by_pos.setdefault(at, []).append(a)
        for a in by_pos.get(-1, []):
            merged.append(_Out(a, -1))
        for i, a in enumerate(seg):
            merged.append(_Out(a, i))
            for extra in by_pos.get(i, []):
                merged.append(_Out(extra, -1))
        for out in merged:
            a = out.analysis
            if out.index >= 0 and a.named:
                self.changes.append(Change("named", a.key, a.source, "a plain name: its Danbooru character tag"))
            elif out.index >= 0 and a.key != a.source:
                self.changes.append(Change("cleaned", a.key, a.source))
        if pinned:
            return merged
        if self.options.dedupe:
            seen: set[str] = set()
            kept = []
            for out in merged:
                # The host applies an extra network once per occurrence, and a unit holding a
                # BREAK splits the chunk once per occurrence: never drop such a repeat.
                repeatable = out.analysis.has_network or _holds_break(out.analysis)
                if out.analysis.key in seen and not repeatable:
                    self.changes.append(Change("removed", out.analysis.key, reason="duplicate"))
                    continue
                seen.add(out.analysis.key)
                kept.append(out)
            merged = kept
        result: list[_Out] = []
        run: list[_Out] = []
        for out in [*merged, None]:
            if out is None or _holds_break(out.analysis):
                order = order_items([o.analysis for o in run], self.options.placement, self.preset.quality_suffix,
                                    quality_first=self.preset.quality_position == "start")
                result.extend(run[k] for k in order)
                run = []
                if out is not None:
                    result.append(out)  # a chunk boundary at some step: it stays, nothing crosses it
            else:
                run.append(out)
        for i in sorted(_moved([o.index for o in result if o.index >= 0])):
            self.changes.append(Change("moved", seg[i].key))
        return result

    def _join(self, segments: list[list[_Out]], pinned: list[bool]) -> str:
        last = segments[-1]
        guard = ""
        if not self.part.weight.strip() and last and _looks_weighted(last[-1], self.dialect):
            # The last item ends in ":<number>": last in the text, the host would read it as the
            # sub-prompt's weight. Keep it one place earlier, or end the text with a comma.
            if not pinned[-1] and len(last) > 1:
                last[-1], last[-2] = last[-2], last[-1]
            else:
                guard = ","
        for s, outs in enumerate(segments):
            if s and self.part.boundaries[s - 1].kind == "break":
                self.placed.append(None)
            self.placed.extend(o.analysis for o in outs)
            self.tags.extend(TaggedItem(o.analysis.key, o.analysis.category) for o in outs)
        texts = [", ".join(o.analysis.key for o in outs) for outs in segments]
        weight = self.part.weight.strip() or guard
        return _end_line_comment(_join_segments(texts, self.part.boundaries), weight, self.dialect)


def _holds_break(a: Analysis) -> bool:
    """A unit whose text holds ``BREAK`` (``[a BREAK b:c:5]``, ``[x:y:0.5]BREAK``) may end the
    host's chunk at some steps, as the host finds BREAK in each step's text after the schedule
    is resolved (``re_break``, A1111 ``modules/prompt_parser.py:368``). So it is a boundary at
    every step for ordering."""
    return "BREAK" in a.source


def _looks_weighted(out: _Out, dialect: Dialect) -> bool:
    return trailing_weight(out.analysis.key, dialect) is not None


def _end_line_comment(text: str, after: str, dialect: Dialect) -> str:
    """``text + after``, on a new line when ``text`` ends in a ``#``/``//`` comment, which
    would otherwise swallow a sub-prompt weight or the next ``AND``."""
    if text and in_comment(text, len(text) - 1, dialect):
        return f"{text}\n{after}"
    return text + after


def _join_segments(texts: list[str], boundaries: Sequence[Boundary]) -> str:
    """BREAK stays on the line; a comment keeps a line of its own. The comma that keeps the
    items around a comment apart goes where the user had it: after the comment when there
    was none, because ``//`` is a comment in reForge but text in A1111, and text after it
    on the next line must not join the item before it there either."""
    body = texts[0]
    for boundary, text in zip(boundaries, texts[1:]):
        if boundary.kind == "break":
            # A lone trailing backslash was the user's escaped comma (``\\, BREAK``): without its
            # comma it would escape the space and the chunk would lose the comma's token.
            glue = "," if (len(body) - len(body.rstrip("\\"))) % 2 else ""
            body = f"{body}{glue} BREAK {text}"
        elif boundary.comma_before and body.strip():
            body = f"{body},\n{boundary.raw}\n{', ' if boundary.comma_after else ''}{text}"
        elif text and body.strip():
            body = f"{body}\n{boundary.raw}\n, {text}"
        else:
            body = f"{body}\n{boundary.raw}\n{text}"
    return body.strip(" ")


def _format_negative(negative: str, preset: Preset, options: FormatOptions, norm: Normaliser) -> str:
    """The user's negative first, then the preset's tags that are missing (weights respected).

    The preset's tags stand as the model card writes them, also when they are already there:
    the card may list two words Danbooru aliases to one tag ("error" and "artistic error" in
    3.1's, "anthro" and "furry" in NoobAI's), and what this function adds must read the same
    on a second pass. The user's other tags are matched by their canonical tag, as in a prompt.
    """
    if not options.inject_negative:
        return negative
    part = parse(negative, split_and=False, dialect=get_dialect(options.dialect)).parts[0]
    segs = [[analyse(item, norm) for item in seg.items] for seg in part.segments]
    cards = frozenset(preset.negative)
    users = [a for seg in segs for a in seg if a.source not in cards]
    present_written = {a.source for seg in segs for a in seg if a.source in cards}
    present_keys = {a.key for a in users}
    present_names = _names(users)
    extra: list[Analysis] = []
    for a in _preset_negative(preset.negative, norm):
        tag = a.tag
        name = None if tag is None else (tag.info.name if tag.info is not None else tag.written.lower())
        if a.source in present_written or a.key in present_keys or name in present_names:
            continue
        present_written.add(a.source)
        extra.append(a)
    texts = []
    for s, (seg, raw) in enumerate(zip(segs, part.segments)):
        spelled = [a.source if a.source in cards else a.key for a in seg]
        keys = _dedupe(spelled) if all(it.balanced for it in raw.items) else spelled
        if s == len(segs) - 1 and extra:
            at = _append_at(raw.items) + 1
            keys = keys[:at] + [a.source for a in extra] + keys[at:]
        texts.append(", ".join(keys))
    return _join_segments(texts, part.boundaries)


def _preset_negative(negative: tuple[str, ...], norm: Normaliser) -> tuple[Analysis, ...]:
    key = norm.memo_key
    known = _PRESET_NEGATIVES.get((negative, key)) if key is not None else None
    if known is not None:
        return known
    items = (parse(text, split_and=False).parts[0].segments[0].items for text in negative)
    analysed = tuple(analyse(found[0], norm) for found in items if found)
    return analysed if key is None else _PRESET_NEGATIVES.put((negative, key), analysed)


_PRESET_NEGATIVES: ContentMemo[tuple[Analysis, ...]] = ContentMemo(64)


def _dedupe(texts: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for text in texts:
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def _settings(preset: Preset, width: int | None, height: int | None) -> GenerationSettings:
    if width is None or height is None:
        w, h = preset.default_resolution
    else:
        w, h = snap_resolution(width, height, preset.resolutions)
    return GenerationSettings(preset.sampler_name, preset.scheduler, preset.cfg_scale, preset.steps, w, h)


def format_prompt(
    prompt: str,
    *,
    db: TagLookup,
    preset: Preset,
    options: FormatOptions = FormatOptions(),
    negative: str = "",
    width: int | None = None,
    height: int | None = None,
    cfg_scale: float | None = None,
    steps: int | None = None,
    lint: bool = True,
    keep_spelling: frozenset[str] = frozenset(),
) -> FormatResult:
    """Format ``prompt`` for ``preset``. Never raises.

    ``width``/``height``/``cfg_scale``/``steps`` are what the user asked for: the
    returned settings are the preset's, with the size snapped to its nearest bucket,
    and the asked-for values are linted. ``lint=False`` skips the prompt lint and its
    did-you-mean lookups: the generation path shows no warnings and must be fast.
    ``keep_spelling``: words never respelled even when unknown, such as the host's
    textual-inversion embedding names.

    This is the engine's one never-raises boundary: any failure inside, the memo's included,
    gives the prompt and negative as written with ``error`` set, and the generation goes on.

    Results are memoised by content (every argument is an immutable value, the knowledge base
    stands in the key by its ``revision``): a batch formats the same prompt once per image, and
    a preview re-formats it on every change elsewhere. A table with no revision is not memoised.
    """
    try:
        keep = frozenset(keep_spelling)
        args = (prompt, db, preset, options, negative, width, height, cfg_scale, steps, lint, keep)
        revision = revision_of(db)
        if revision is None:
            return _format_without_gc(args)
        key = (revision, prompt, preset, options, negative, width, height, cfg_scale, steps, lint, keep)
        found = _RESULTS.get(key)
        if found is not None:
            return found
        result = _format_without_gc(args)
        return _RESULTS.put(key, result, weight=len(result.tags) + len(result.changes) + 1)
    except Exception as exc:  # noqa: BLE001 - the contract is: never break a generation
        return _failed(prompt, negative, preset, width, height, exc)


def _format_without_gc(args: tuple) -> FormatResult:
    """One pass with the cyclic garbage collector held off.

    A pass allocates thousands of short-lived values (nodes, analyses, strings) that reference
    counting frees as soon as the pass ends, and it makes no cycles. Left on, the collector
    starts on them mid-pass and now and then walks the whole process (the WebUI's heap too):
    pauses of 70-140 ms at 500 tags. Only a collector this pass turned off is turned back on.
    """
    if not gc.isenabled():
        return _format(*args)
    gc.disable()
    try:
        return _format(*args)
    finally:
        gc.enable()


#: About 500 results of a 40-tag prompt; far fewer of 500 tags (each tag and change is an object to keep).
_RESULTS: ContentMemo[FormatResult] = ContentMemo(512, max_weight=25_000)


def _failed(
    prompt: str, negative: str, preset: Preset, width: int | None, height: int | None, exc: Exception
) -> FormatResult:
    message = f"Animagine formatting failed ({type(exc).__name__}: {exc}); the prompt was left as written"
    log.error(message)
    log.debug("traceback of the formatting failure", exc_info=exc)
    try:
        settings = _settings(preset, width, height)
    except Exception:  # noqa: BLE001 - a broken preset: the card's own settings
        settings = GenerationSettings("Euler a", "Automatic", 5.0, 28, 832, 1216)
    return FormatResult(
        prompt=prompt,
        negative_prompt=negative,
        settings=settings,
        warnings=(Diagnostic("internal-error", message),),
        error=message,
    )


def _format(
    prompt: str,
    db: TagLookup,
    preset: Preset,
    options: FormatOptions,
    negative: str,
    width: int | None,
    height: int | None,
    cfg_scale: float | None,
    steps: int | None,
    lint: bool,
    keep_spelling: frozenset[str],
) -> FormatResult:
    norm = Normaliser(db, options.replace_underscores, frozenset(keep_spelling), plain_names=options.plain_names)
    dialect = get_dialect(options.dialect)
    tree = parse(prompt, dialect=dialect)
    literal = replace(norm, schedules=False)
    formatters = [
        _PartFormatter(part, preset, options, norm if host_reads_schedules(part) else literal)
        for part in tree.parts
    ]
    texts = [f.run() for f in formatters]
    out = texts[0]
    for text in texts[1:]:
        # "x\\ AND" would turn a lone trailing backslash into an escaped space.
        sep = "AND " if (len(out) - len(out.rstrip("\\"))) % 2 else " AND "
        out = _end_line_comment(out, sep + text, dialect) if out else f"AND {text}"
    out = out.strip()
    changes = tuple(c for f in formatters for c in f.changes)
    tags = tuple(t for f in formatters for t in f.tags)
    analyses = [a for f in formatters for a in f.analysed]
    diagnostics: list[Diagnostic] = [d for f in formatters for d in f.notes]
    if lint:
        diagnostics += lint_prompt(analyses, preset, db, suggest=True, plain_names=options.plain_names)
        bpe = default_counter()
        count = bpe.count if bpe is not None else approximate_tokens
        diagnostics += lint_length([f.placed for f in formatters], count, exact=bpe is not None)
    diagnostics += lint_settings(preset, width=width, height=height, cfg_scale=cfg_scale, steps=steps)
    return FormatResult(
        prompt=out,
        negative_prompt=_format_negative(negative, preset, options, norm),
        settings=_settings(preset, width, height),
        tags=tags,
        warnings=unique(diagnostics),
        changes=changes,
    )
