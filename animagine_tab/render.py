"""HTML fragments for the tab's read-only panels.

Kept as pure string functions so the unit tests can check what a user will
read (which tag is marked "added", where chunk 2 starts) without a browser,
and so the markup is the same under gradio 3 and 4. Every class starts with
``animagine-``; style.css styles them with gradio's theme variables.
"""

from __future__ import annotations

from html import escape

from animagine_prompt.categories import CATEGORY_WORDS, Category
from animagine_prompt.result import (
    CHANGE_WORDS,
    Change,
    Diagnostic,
    FormatResult,
    GenerationSettings,
    change_meaning,
    change_word,
    diagnostic_word,
)
from animagine_prompt.tokens import CHUNK, ChunkReport

from .items import prompt_items

#: Change kinds in the order the legend counts them; their words come from the engine's CHANGE_WORDS.
CHANGE_KINDS = tuple(CHANGE_WORDS)

#: What a chip's left edge says an item is: category → the class style.css colours it by. The one
#: table of it: the chips and the category legend are both drawn from it, in this order.
CATEGORY_CLASSES: dict[Category, str] = {
    Category.PEOPLE: "animagine-cat-people",
    Category.CHARACTER: "animagine-cat-character",
    Category.COPYRIGHT: "animagine-cat-copyright",
    Category.RATING: "animagine-cat-rating",
    Category.GENERAL: "animagine-cat-general",
    Category.ARTIST: "animagine-cat-artist",
    Category.YEAR: "animagine-cat-year",
    Category.META: "animagine-cat-meta",
    Category.QUALITY: "animagine-cat-quality",
    Category.SCORE: "animagine-cat-score",
    Category.NETWORK: "animagine-cat-network",
    Category.WILDCARD: "animagine-cat-wildcard",
}


def _category(value: str) -> Category | None:
    try:
        return Category(value)
    except ValueError:
        return None


def category_legend_html() -> str:
    """One small chip per category, with its word and its chip's class (so its colour)."""
    items = "".join(
        f"<span class='animagine-chip animagine-legend-cat {cls}'>{escape(CATEGORY_WORDS[category])}</span>"
        for category, cls in CATEGORY_CLASSES.items()
    )
    return (
        "<div class='animagine-legend animagine-category-legend' aria-label='What the left edge of a tag means'>"
        f"<span class='animagine-legend-title'>Left edge:</span>{items}</div>"
    )


def output_items(result: FormatResult) -> list[tuple[str, str]]:
    """(text, category) of each item of the formatted prompt, ``BREAK`` included; category "" when unknown.

    Items come from the prompt text (the engine's tag list leaves ``BREAK`` out);
    categories are taken from the tag list in order.
    """
    tags = result.tags
    found: list[tuple[str, str]] = []
    next_tag = 0
    for text in prompt_items(result.prompt):
        category = ""
        for j in range(next_tag, len(tags)):
            if tags[j].text == text:
                category, next_tag = tags[j].category.value, j + 1
                break
        found.append((text, category))
    return found


def _change_by_text(changes: tuple[Change, ...]) -> dict[str, Change]:
    marks: dict[str, Change] = {}
    for change in changes:
        if change.kind != "removed":
            marks.setdefault(change.text, change)
    return marks


def _change_line(change: Change) -> str:
    what = f"<code>{escape(change.text)}</code>"
    if change.kind in ("cleaned", "named") and change.original:
        what = f"<code>{escape(change.original)}</code> → {what}"
    reason = f" <span class='animagine-reason'>{escape(change.reason)}</span>" if change.reason else ""
    meaning = escape(change_meaning(change.kind), quote=True)
    return (
        f"<li class='animagine-{escape(change.kind)}'><b title='{meaning}'>{escape(change_word(change.kind))}</b> "
        f"{what}{reason}</li>"
    )


def diff_html(result: FormatResult, chunks: ChunkReport | None = None) -> str:
    """The formatted prompt as chips marked by change kind, chunk boundaries, and the list of changes."""
    if result.error:
        message = f"Formatting failed, prompt left unchanged: {escape(result.error)}"
        return f"<div class='animagine-diff animagine-error'>{message}</div>"
    items = output_items(result)
    if not items and not result.changes:
        return "<div class='animagine-diff animagine-empty'>Type or paste a prompt to see what changes.</div>"
    marks = _change_by_text(result.changes)
    starts = set(chunks.starts[1:]) if chunks else set()
    chips: list[str] = []
    for index, (text, category) in enumerate(items):
        if index in starts:
            n = sorted(starts).index(index) + 2
            chips.append(f"<span class='animagine-chunk-break' title='token chunk {n} starts here'>▏{n}</span>")
        change = marks.get(text)
        classes = ["animagine-chip"]
        known = _category(category)
        title = CATEGORY_WORDS[known] if known is not None else "BREAK" if text == "BREAK" else "item"
        if known is not None:
            classes.append(CATEGORY_CLASSES[known])
        elif text == "BREAK":
            classes.append("animagine-break")
        if change is not None:
            classes.append(f"animagine-{escape(change.kind)}")
            title += f" · {change_word(change.kind)}" + (f": {change.reason}" if change.reason else "")
        chips.append(f"<span class='{' '.join(classes)}' title='{escape(title, quote=True)}'>{escape(text)}</span>")
    removed = [c for c in result.changes if c.kind == "removed"]
    for change in removed:
        word = escape(change_word("removed"), quote=True)
        chips.append(f"<span class='animagine-chip animagine-removed' title='{word}'>{escape(change.text)}</span>")
    counts = {kind: sum(1 for c in result.changes if c.kind == kind) for kind in CHANGE_KINDS}
    legend = " ".join(
        f"<span class='animagine-legend-item animagine-{kind}' title='{escape(change_meaning(kind), quote=True)}'>"
        f"{counts[kind]} {escape(change_word(kind))}</span>"
        for kind in CHANGE_KINDS
    )
    lines = "".join(_change_line(c) for c in result.changes)
    details = (
        f"<ul class='animagine-changes'>{lines}</ul>" if lines else "<p class='animagine-nochange'>No changes.</p>"
    )
    return (
        f"<div class='animagine-diff'><div class='animagine-legend animagine-change-legend'>{legend}</div>"
        f"<div class='animagine-chips'>{''.join(chips)}</div>{category_legend_html()}{details}</div>"
    )


def warnings_html(warnings: tuple[Diagnostic, ...]) -> str:
    if not warnings:
        return "<div class='animagine-warnings animagine-ok'>No warnings.</div>"
    rows = []
    for w in warnings:
        said = w.suggestion is None or w.suggestion in w.message
        fix = "" if said else f" → did you mean <code>{escape(w.suggestion or '')}</code>?"
        word = diagnostic_word(w.code)
        said_so = w.message.lower().startswith(word.lower())  # "unknown tag 'smlie': …" needs no lead
        lead = "" if said_so else f"<span class='animagine-code'>{escape(word)}:</span> "
        kind = " class='animagine-note'" if w.level == "note" else ""  # worth knowing, nothing wrong
        rows.append(f"<li{kind}>{lead}{escape(w.message)}{fix}</li>")
    return f"<ul class='animagine-warnings'>{''.join(rows)}</ul>"


def settings_html(settings: GenerationSettings) -> str:
    rows = (
        ("Sampler", settings.sampler_name),
        ("Schedule type", settings.scheduler),
        ("CFG scale", f"{settings.cfg_scale:g}"),
        ("Steps", str(settings.steps)),
        ("Size", f"{settings.width} × {settings.height}"),
    )
    cells = "".join(f"<span><b>{k}</b> {escape(v)}</span>" for k, v in rows)
    return f"<div class='animagine-settings'>{cells}</div>"


def tokens_html(report: ChunkReport | None, items: list[str]) -> str:
    """Token count per chunk and which item opens each chunk; says so when the count is an estimate."""
    if report is None:
        return ""
    mark = "≈ " if report.approximate else ""
    note = " <span class='animagine-approx'>(approximate: no tokenizer loaded)</span>" if report.approximate else ""
    parts = []
    for n, (size, start) in enumerate(zip(report.chunks, report.starts, strict=False), start=1):
        opener = f", starts at <code>{escape(items[start])}</code>" if n > 1 and start < len(items) else ""
        parts.append(f"<li>chunk {n}: {mark}{size}/{CHUNK}{opener}</li>")
    return (
        f"<div class='animagine-tokens'><b>Tokens {mark}{report.total}/{report.limit}</b>{note}"
        f"<ul>{''.join(parts)}</ul></div>"
    )
