"""What the tab does, as plain functions of plain values.

:mod:`.layout` only wires these to gradio components; every behaviour a user
sees (what the builder assembles, what a fix changes, what an override save
does) is decided here and unit-tested without a browser. Values returned are
strings, lists and frozen dataclasses, never ``gr.update``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from animagine_prompt.categories import Category
from animagine_prompt.formatter import format_prompt
from animagine_prompt.memo import is_stale
from animagine_prompt.options import RATINGS, FormatOptions, Placement
from animagine_prompt.presets import Preset
from animagine_prompt.resolution import aspect_label
from animagine_prompt.result import Diagnostic, FormatResult, GenerationSettings
from animagine_prompt.syntax.dialect import DIALECTS
from animagine_prompt.tagdb.keys import normalize_key
from animagine_prompt.tagdb.sources import source_word
from animagine_prompt.tokens import ChunkReport, approximate_tokens, chunk_report

from .context import TabContext
from .infotext import animagine_params, to_infotext
from .items import item_spans
from .render import diff_html, output_items, settings_html, tokens_html, warnings_html

T = TypeVar("T")

#: Checkbox labels of the options panel, in FormatOptions field order.
OPTION_FLAGS = {
    "Underscores to spaces": "replace_underscores",
    "Add the series of known characters": "add_series",
    "Append quality tags": "append_quality",
    "Add the model's negative prompt": "inject_negative",
    "Drop duplicate tags": "dedupe",
    "Plain names to character tags": "plain_names",
}
PLACEMENTS = {
    "with everything else": Placement.GENERAL,
    "right after the rating": Placement.AFTER_RATING,
    "just before the quality tags": Placement.BEFORE_QUALITY,
}
NO_RATING = "(keep the prompt's)"
#: What the host takes for a comment, by its words: the radio's choices.
DIALECT_CHOICES = {d.title: d.name for d in DIALECTS.values()}
PEOPLE = ("", "1girl", "2girls", "3girls", "multiple girls", "1boy", "2boys", "multiple boys", "1other", "no humans")
YEARS = ("",) + tuple(f"year {y}" for y in range(2025, 2004, -1))
MAX_FIXES = 6


def default_flags() -> list[str]:
    defaults = FormatOptions()
    return [label for label, name in OPTION_FLAGS.items() if getattr(defaults, name)]


def dialect_label(name: str) -> str:
    """The radio's label for a dialect name (A1111's for an unknown one)."""
    return next((label for label, n in DIALECT_CHOICES.items() if n == name), next(iter(DIALECT_CHOICES)))


def make_options(
    flags: Iterable[str] | None, placement: str | None, rating: str | None, dialect: str | None = None
) -> FormatOptions:
    """FormatOptions from the options panel's values (unknown labels are ignored).

    ``dialect`` is the comments radio's label: a prompt written for reForge keeps its ``//``
    notes out of the tags only if the formatter reads them as the host does.
    """
    chosen = set(flags or ())
    values: dict[str, Any] = {name: label in chosen for label, name in OPTION_FLAGS.items()}
    values["placement"] = PLACEMENTS.get(placement or "", Placement.GENERAL)
    values["rating"] = rating if rating in RATINGS else None
    values["dialect"] = DIALECT_CHOICES.get(dialect or "", FormatOptions().dialect)
    return FormatOptions(**values)


# -- resolution -------------------------------------------------------------------------------

_SIZE = re.compile(r"(\d+)\s*[×x]\s*(\d+)")


def resolution_choices(preset: Preset) -> list[str]:
    return [aspect_label(w, h) for w, h in preset.resolutions]


def default_resolution(preset: Preset) -> str:
    return aspect_label(*preset.default_resolution)


def parse_size(label: str | None, preset: Preset) -> tuple[int, int]:
    """(width, height) of a picker label; the preset's default for anything unreadable."""
    match = _SIZE.search(label or "")
    return (int(match.group(1)), int(match.group(2))) if match else preset.default_resolution


def recommendation_md(preset: Preset) -> str:
    lo, hi = preset.cfg_range
    slo, shi = preset.steps_range
    return (
        f"**{preset.label}** recommends sampler **{preset.sampler_name}** ({preset.scheduler} schedule), "
        f"CFG **{preset.cfg_scale:g}** ({lo:g}–{hi:g}), **{preset.steps}** steps ({slo}–{shi})."
    )


# -- the database, reloadable ---------------------------------------------------------------------


class TabSession:
    """The tab's tag database, rebuilt from ``ctx.load_db`` when overrides change.

    One per built tab (not a module global): the standalone app and tests may
    build several tabs, each over its own data.
    """

    def __init__(self, ctx: TabContext) -> None:
        self.ctx = ctx
        self._lock = threading.Lock()
        self._db: Any = None
        self.save_lock = threading.Lock()  # one check-then-write of the overrides file at a time

    @property
    def db(self) -> Any:
        with self._lock:
            if self._db is None:
                self._db = self.ctx.load_db()
            elif is_stale(self._db):  # an edit made outside the tab: the next format sees it
                self._db = (self.ctx.reload_db or self.ctx.load_db)()
            return self._db

    @property
    def ready(self) -> bool:
        """Whether :attr:`db` answers without loading (always true for an eager context)."""
        if self._db is not None or self.ctx.db_ready is None:
            return True
        return bool(self.ctx.db_ready())

    def reload(self) -> Any:
        fresh = (self.ctx.reload_db or self.ctx.load_db)()
        with self._lock:
            self._db = fresh
        return fresh


# -- live preview: last write wins -------------------------------------------------------------


class LatestOnly:
    """A per-browser-session sequence number for a live preview, kept in a ``gr.State``.

    Every keystroke starts a formatting pass. The WebUI's queue runs up to 64 events
    at once (``demo.queue(64)``), and gradio 4 runs different listeners side by side,
    so a slow pass for an older text can finish after a fast one for the newer text
    and overwrite it. Each pass takes a ticket; one that is no longer the newest
    when it finishes writes nothing. gradio deep-copies a State's value once per
    session, so each browser tab gets its own counter.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0

    def __deepcopy__(self, memo: dict[int, Any]) -> LatestOnly:
        return LatestOnly()

    def begin(self) -> int:
        with self._lock:
            self._last += 1
            return self._last

    def is_latest(self, ticket: int) -> bool:
        with self._lock:
            return ticket == self._last


def typed_key(*boxes: str | None) -> str:
    """What a live preview was computed for, to tell whether the boxes have moved on since."""
    return "\x00".join(box or "" for box in boxes)


def run_latest(live: LatestOnly | None, work: Callable[[], T]) -> T | None:
    """``work()``, or None when a newer pass began while it ran (its result is stale)."""
    if live is None:
        return work()
    ticket = live.begin()
    result = work()
    return result if live.is_latest(ticket) else None


# -- formatting -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fix:
    """A one-click fix: replace ``subject`` by ``suggestion`` in the user's prompt."""

    label: str
    subject: str
    suggestion: str


@dataclass(frozen=True)
class FormatView:
    """Every panel of one formatting pass. ``settings`` are the engine's with the user's CFG and steps."""

    result: FormatResult
    settings: GenerationSettings
    settings_html: str
    diff_html: str
    warnings_html: str
    tokens_html: str
    infotext: str
    fixes: tuple[Fix, ...]


def fixes_for(warnings: Sequence[Diagnostic]) -> tuple[Fix, ...]:
    """Did-you-mean suggestions that name what to replace, at most :data:`MAX_FIXES`."""
    found: list[Fix] = []
    for w in warnings:
        if w.suggestion and w.subject and w.suggestion != w.subject:
            fix = Fix(f"{w.subject} → {w.suggestion}", w.subject, w.suggestion)
            if fix not in found:
                found.append(fix)
    return tuple(found[:MAX_FIXES])


def count_chunks(session: TabSession, items: list[str]) -> ChunkReport:
    """Chunks by the host's tokenizer when it can count now, else by the estimate (and labelled so)."""
    counter = session.ctx.token_counter
    if counter is not None:
        try:
            if counter("") is not None:
                return chunk_report(items, lambda text: counter(text) or 0, approximate=False)
        except Exception:  # a tokenizer failure must not break formatting
            pass
    return chunk_report(items, approximate_tokens, approximate=True)


def run_format(
    session: TabSession,
    prompt: str,
    negative: str,
    preset_name: str | None,
    size_label: str | None,
    cfg_scale: float | None,
    steps: float | None,
    flags: Iterable[str] | None,
    placement: str | None,
    rating: str | None,
    dialect: str | None = None,
) -> FormatView:
    """Format a prompt with the panel's settings and render every output panel from the one result."""
    preset = session.ctx.preset(preset_name)
    width, height = parse_size(size_label, preset)
    options = make_options(flags, placement, rating, dialect or dialect_label(session.ctx.dialect))
    result = format_prompt(  # the engine's one never-raises boundary: a failure is result.error
        prompt or "",
        db=session.db,
        preset=preset,
        options=options,
        negative=negative or "",
        width=width,
        height=height,
        cfg_scale=float(cfg_scale) if cfg_scale else None,
        steps=int(steps) if steps else None,
    )
    # The engine answers with the preset's sampler settings (and lints the asked-for ones); what the
    # user set on the sliders is what they expect to see and send.
    settings = replace(
        result.settings,
        cfg_scale=float(cfg_scale) if cfg_scale else result.settings.cfg_scale,
        steps=int(steps) if steps else result.settings.steps,
    )
    items = [text for text, _ in output_items(result)]
    chunks = count_chunks(session, items) if result.prompt else None
    return FormatView(
        result=result,
        settings=settings,
        settings_html=settings_html(settings),
        diff_html=diff_html(result, chunks),
        warnings_html=warnings_html(result.warnings),
        tokens_html=tokens_html(chunks, items),
        infotext=to_infotext(replace(result, settings=settings), animagine_params(preset, options, settings)),
        fixes=fixes_for(result.warnings),
    )


_QUALIFIER = re.compile(r"\\?\(([^()\\]*)\\?\)")


def _unescape(text: str) -> str:
    return re.sub(r"\\([()\[\]])", r"\1", text)


def _as_written(suggestion: str, original: str, *, separator: bool = False) -> str:
    """The suggestion spelt like the original: its escaped brackets (``firefly \\(…\\)`` stays escaped,
    so it is not read as emphasis) and, inside a qualifier, its word separator (``makima_(chainsaw_mna)``
    → ``makima_(chainsaw_man)``: the name around it is not ours to respell)."""
    if separator and "_" in original and " " not in original:
        suggestion = suggestion.replace(" ", "_")
    if "\\(" in original:
        suggestion = re.sub(r"(?<!\\)([()])", r"\\\1", suggestion)
    return suggestion


_PAIRS = {"(": ")", "[": "]"}


def _core(item: str) -> str:
    """An item without its emphasis brackets and weight: ``((tag:1.2))`` → ``tag``. A tag's own
    escaped brackets (``firefly \\(…\\)``) and a trailing qualifier (``makima (…)``) are kept."""
    core = item.strip()
    while len(core) >= 2 and _PAIRS.get(core[0]) == core[-1] and core[-2] != "\\":
        core = re.sub(r":\s*[\d.]+\s*$", "", core[1:-1]).strip()
    return core


def apply_fix(prompt: str, subject: str, suggestion: str) -> str:
    """Replace the item the warning is about, keeping its weight brackets and the rest of the prompt.

    The item is found by a loose comparison (case, ``_``/space, escapes), so a
    warning about ``long hiar`` fixes ``Long_Hiar`` as typed. A warning can also be
    about the qualifier of a character (``chainsaw mna`` in ``makima (chainsaw mna)``,
    escaped or weighted): then only the qualifier is replaced, so the character
    keeps its name and its brackets. The prompt comes back unchanged when nothing matches.
    """
    want = normalize_key(subject)
    spans = item_spans(prompt)
    for start, end in spans:
        item = prompt[start:end]
        core = _core(item)
        if normalize_key(_unescape(core)) == want:
            at = item.find(core)
            return prompt[: start + at] + _as_written(suggestion, core) + prompt[start + at + len(core) :]
    for start, end in spans:
        for match in _QUALIFIER.finditer(prompt, start, end):
            qualifier = match.group(1)
            if qualifier.strip() and normalize_key(qualifier) == want:
                a, b = match.span(1)
                return prompt[:a] + _as_written(suggestion, qualifier, separator=True) + prompt[b:]
    return prompt


# -- the builder --------------------------------------------------------------------------------


def assemble(people: str, character: str, series: str, rating: str, year: str, artist: str, free: str) -> str:
    """The builder's parts as one raw prompt; the engine then orders and spells it like any other."""
    parts = [people, character, series, rating if rating in RATINGS else "", year, artist, free]
    return ", ".join(p.strip().strip(",") for p in parts if p and p.strip().strip(","))


def _names(found: Any) -> list[str]:
    """Tag names from ``TagDB.complete``'s answer, whether it returns TagInfo objects or strings."""
    names: list[str] = []
    for entry in found or ():
        name = entry if isinstance(entry, str) else getattr(entry, "name", None)
        if name and name not in names:
            names.append(str(name))
    return names


def complete(session: TabSession, prefix: str, category: Category, limit: int = 8) -> list[str]:
    """Autocomplete names of one category for what the user has typed so far (needs 2+ characters)."""
    prefix = (prefix or "").strip()
    if len(prefix) < 2:
        return []
    try:
        return _names(session.db.complete(prefix, [category], limit))
    except Exception:
        return []


def series_on_character(session: TabSession, character: str, series: str, typed: bool) -> str:
    """The builder's series after the character changed.

    A series the user typed (``typed``: the box holds something other than what we
    filled in last, decided in the character-change event itself) stays.
    Otherwise the series belonged to the old character and is replaced by the new
    one's, which is empty when the new character's series is unknown.
    """
    if typed and series.strip():
        return series
    return series_for(session, character)


def series_for(session: TabSession, character: str) -> str:
    """The series tag(s) of a known character, comma-joined; "" when unknown."""
    if not character.strip():
        return ""
    try:
        found = session.db.series_for_character(character)
    except Exception:
        return ""
    if not found:
        return ""
    if isinstance(found, str):
        return found
    return ", ".join(_names(found))


# -- the tag database panel ----------------------------------------------------------------------


LOADING_NOTE = (
    "The tag database is still loading in the background (the first start after an install builds its "
    "index, a few seconds). Formatting, lookups and completions wait for it; open this tab again, or press "
    "*Reload tag database*, to see its sources."
)


def sources_md(session: TabSession) -> str:
    """One line per tag source with its count and any problem, for the database panel."""
    try:
        sources = list(session.db.sources)
    except Exception as exc:
        return f"Cannot list tag sources: {exc}"
    if not sources:
        return "No tag sources loaded: only built-in people/rating/quality tags are known."
    lines = ["| source | tags | where |", "|---|---:|---|"]
    for s in sources:  # the name says what kind of source it is; ``kind`` is the engine's code for it
        status = "" if getattr(s, "ok", True) else " ⚠"
        problem = f" ({s.problem})" if getattr(s, "problem", None) else ""
        lines.append(f"| {s.name}{status} | {getattr(s, 'entries', '')} | {getattr(s, 'path', '') or ''}{problem} |")
    return "\n".join(lines)


def lookup_md(session: TabSession, text: str) -> str:
    """What the database says a tag is, as the user would check it after an override."""
    text = (text or "").strip()
    if not text:
        return ""
    info = session.db.lookup(text)
    if info is None:
        near = session.db.suggest(text, 3)
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        return f"`{text}` is not in the database.{hint}"
    return f"`{text}` → **{info.name}**: {info.category.word} (from {source_word(info.source)})"


def overrides_text(rows: Iterable[tuple[str, Category]]) -> str:
    return "".join(f"{tag}, {cat.value}\n" for tag, cat in rows)


def parse_overrides_text(text: str) -> tuple[list[tuple[str, Category]], list[str]]:
    """Editor lines ``tag, category`` (the last comma separates) into rows, and one message per bad line."""
    rows: list[tuple[str, Category]] = []
    problems: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        tag, sep, cat = line.rpartition(",")
        if not sep or not tag.strip():
            problems.append(f"line {number}: expected 'tag, category', got {line!r}")
            continue
        try:
            rows.append((tag.strip(), Category.parse(cat)))
        except ValueError:
            problems.append(f"line {number}: unknown category {cat.strip()!r}")
    return rows, problems


def file_revision(path: Any) -> str:
    """What the editor saw: a hash of the file's bytes (``"none"`` while it does not exist).

    A hash, not the modification time: two saves within one clock tick, or a copy
    that keeps the time, must still count as a change.
    """
    import hashlib
    from pathlib import Path

    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except FileNotFoundError:
        return "none"


def load_overrides(session: TabSession) -> str:
    return open_overrides(session)[0]


def open_overrides(session: TabSession) -> tuple[str, str]:
    """The editor's text and the revision it was read at."""
    path = session.ctx.overrides_file
    if path is None:
        return "", ""
    from animagine_prompt.tagdb.user import read_user_overrides

    with session.save_lock:
        revision = file_revision(path)
        return overrides_text(read_user_overrides(path)), revision


@dataclass(frozen=True)
class OverridesSave:
    """What a Save shows: a status line, the editor's text, the revision it now stands on, and, when
    the file changed since the editor read it, the file's current text (``conflict``) beside the user's."""

    status: str
    text: str
    revision: str
    conflict: str | None = None


def save_overrides(session: TabSession, text: str, revision: str | None = None) -> OverridesSave:
    """Write the editor's rows atomically and reload the database.

    Nothing is written when a line is bad, so a typo never wipes the file; nor when
    ``revision`` is given and the file changed since the editor read it (another
    browser tab saved, or someone edited ``tags/user.csv``): then both versions are
    shown, and the next Save, made against the current revision, writes.
    """
    path = session.ctx.overrides_file
    if path is None:
        return OverridesSave("No overrides file in this setup.", text, revision or "")
    rows, problems = parse_overrides_text(text)
    if problems:
        return OverridesSave("Not saved: " + "; ".join(problems), text, revision or "")
    from animagine_prompt.tagdb.user import read_user_overrides, write_user_overrides

    with session.save_lock:  # check and write as one step: two tabs saving at once cannot both win
        current = file_revision(path)
        if revision is not None and revision != current:
            theirs = overrides_text(read_user_overrides(path))
            status = (
                "Not saved: the overrides file changed since you opened it (another tab or an edit of "
                f"{path}). Its current version is shown below yours; merge what you want to keep into "
                "the editor and save again."
            )
            return OverridesSave(status, text, current, conflict=theirs)
        try:
            write_user_overrides(path, rows)
        except (OSError, ValueError) as exc:
            return OverridesSave(f"Not saved: {exc}", text, current)
        saved = overrides_text(read_user_overrides(path))
        revision = file_revision(path)
    session.reload()
    return OverridesSave(f"Saved {len(rows)} override(s) to {path}; lookups now use them.", saved, revision)
