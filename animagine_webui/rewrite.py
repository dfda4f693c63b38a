"""Rewrite every prompt list the host keeps on ``p``, never ``p.prompt`` itself.

``process()`` runs after the host applied styles and built ``all_prompts``
(and, with hires fix, ``all_hr_prompts``), and after sd-dynamic-prompts when
metadata.ini's ``After`` is honoured. ``p.prompt`` stays as the user wrote it:
the img2img batch loop and X/Y/Z cells reuse it, and rewriting it would pile
quality tags up run after run.

``before_process_batch`` is the order-independent safety net: if another
script replaced ``all_prompts`` after our ``process()`` (dynamic prompts in a
folder that sorts later than ours), the batch's prompts are not ones we
produced, so they are formatted there, in place, and mirrored into ``all_*``
because the host re-slices ``p.prompts`` from ``all_prompts`` before writing
the infotext.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from animagine_prompt.result import FormatResult

from . import infotext

Formatter = Callable[[str, str], FormatResult]

RUN_ATTR = "animagine_run"  # per-generation state on p (a per-cell copy under X/Y/Z)


@dataclass
class RunState:
    """What one generation's formatting produced, for the batch hook and the infotext."""

    format: Formatter
    produced: set[str] = field(default_factory=set)
    originals: list[str] = field(default_factory=list)  # image i's prompt before formatting
    negative_originals: list[str] = field(default_factory=list)
    cache: dict[tuple[str, str], FormatResult] = field(default_factory=dict)
    error: str | None = None
    warnings: int = 0

    def run(self, prompt: str, negative: str) -> FormatResult:
        key = (prompt, negative)
        result = self.cache.get(key)
        if result is None:
            result = self.format(prompt, negative)
            self.cache[key] = result
            self.warnings += len(result.warnings)
        return result

    def record(self, result: FormatResult) -> tuple[str, str]:
        self.produced.add(result.prompt)
        self.produced.add(result.negative_prompt)
        return result.prompt, result.negative_prompt


class FormatFailed(Exception):
    """Raised inside this module to abandon a rewrite and leave every prompt as written."""


def _checked(state: RunState, prompt: str, negative: str) -> FormatResult:
    result = state.run(prompt, negative)
    if result.error:
        raise FormatFailed(result.error)
    return result


def rewrite_all(p: Any, state: RunState) -> bool:
    """Format ``all_prompts``/``all_negative_prompts``/``main_*`` and the hires lists.

    All or nothing: if any prompt fails, nothing on ``p`` changes and
    ``state.error`` says why. Returns True when the lists were rewritten.
    """
    prompts = list(p.all_prompts or [])
    negatives = list(p.all_negative_prompts or [""] * len(prompts))
    hires = bool(getattr(p, "enable_hr", False)) and getattr(p, "all_hr_prompts", None) is not None
    try:
        new_prompts: list[str] = []
        new_negatives: list[str] = []
        for prompt, negative in zip(prompts, negatives, strict=False):
            pos, neg = state.record(_checked(state, prompt, negative))
            new_prompts.append(pos)
            new_negatives.append(neg)
        main_prompt = getattr(p, "main_prompt", None)
        main_negative = getattr(p, "main_negative_prompt", None)
        if main_prompt is not None:
            main = state.record(_checked(state, main_prompt, main_negative or ""))
        new_hr: list[str] = []
        new_hr_negatives: list[str] = []
        if hires:
            hr_prompts = list(p.all_hr_prompts)
            hr_negatives = list(getattr(p, "all_hr_negative_prompts", None) or negatives)
            for hr_prompt, hr_negative in zip(hr_prompts, hr_negatives, strict=False):
                pos, neg = state.record(_checked(state, hr_prompt, hr_negative))
                new_hr.append(pos)
                new_hr_negatives.append(neg)
    except FormatFailed as exc:
        state.error = str(exc)
        return False

    state.originals = prompts
    state.negative_originals = negatives
    p.all_prompts = new_prompts
    p.all_negative_prompts = new_negatives
    if main_prompt is not None:
        p.main_prompt, p.main_negative_prompt = main
    if hires:
        p.all_hr_prompts = new_hr
        p.all_hr_negative_prompts = new_hr_negatives
    return True


def _same(a: str, b: str) -> bool:
    """Equal but for whitespace: the host's comment stripping leaves newlines behind."""
    return a.split() == b.split()


def rewrite_batch(p: Any, state: RunState, batch_number: int, prompts: list[str]) -> bool:
    """Format a batch whose prompts were replaced after ``process()``; True if anything changed."""
    size = int(getattr(p, "batch_size", 1) or 1)
    negatives = getattr(p, "negative_prompts", None)
    changed = False
    for j, prompt in enumerate(prompts):
        i = batch_number * size + j
        negative = negatives[j] if negatives is not None and j < len(negatives) else ""
        if prompt in state.produced and negative in state.produced:
            continue
        result = state.run(prompt, negative)
        if result.error:
            state.error = result.error
            return changed
        pos, neg = state.record(result)
        if _same(pos, prompt) and _same(neg, negative):
            continue  # already in order: e.g. our own output after the host stripped # comments
        if i < len(state.originals):
            state.originals[i], state.negative_originals[i] = prompt, negative
        prompts[j] = pos  # the same list object as p.prompts
        if negatives is not None and j < len(negatives):
            negatives[j] = neg
        if p.all_prompts is not None and i < len(p.all_prompts):
            p.all_prompts[i] = pos
        if p.all_negative_prompts is not None and i < len(p.all_negative_prompts):
            p.all_negative_prompts[i] = neg
        changed = True
    if getattr(p, "enable_hr", False) and getattr(p, "all_hr_prompts", None) is not None:
        hr_negatives = getattr(p, "all_hr_negative_prompts", None)
        for i in range(batch_number * size, min((batch_number + 1) * size, len(p.all_hr_prompts))):
            hr_prompt = p.all_hr_prompts[i]
            hr_negative = hr_negatives[i] if hr_negatives is not None else ""
            if hr_prompt in state.produced and hr_negative in state.produced:
                continue
            result = state.run(hr_prompt, hr_negative)
            if result.error:
                state.error = result.error
                return changed
            pos, neg = state.record(result)
            if _same(pos, hr_prompt) and _same(neg, hr_negative):
                continue
            p.all_hr_prompts[i] = pos
            if hr_negatives is not None:
                hr_negatives[i] = neg
            changed = True
    return changed


def publish_originals(p: Any, state: RunState) -> None:
    """(Re)write the ``original prompt`` infotext keys from what the state recorded."""
    params = p.extra_generation_params
    for key, originals, current, shown in (
        (infotext.KEY_ORIGINAL, state.originals, p.all_prompts or [], "prompt_text"),
        (infotext.KEY_ORIGINAL_NEGATIVE, state.negative_originals, p.all_negative_prompts or [], "negative_prompt"),
    ):
        value = infotext.per_image_value(originals, list(current), shown)
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
