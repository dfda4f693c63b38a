"""A format result as the host's infotext, the text its "Send to" buttons parse.

The host fills txt2img/img2img from a pasted infotext (prompt lines, then
``Negative prompt:``, then a ``Key: value, ...`` line), so speaking that format
gives our send buttons exactly the host's own behaviour, including which fields
it fills, on both A1111 and reForge, without touching their components.
"""

from __future__ import annotations

import json

from animagine_prompt.result import FormatResult


def _quote(value: object) -> str:
    """Values with a comma, colon or newline are JSON-quoted, as the host's parser expects."""
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if any(c in text for c in ",:\n") else text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def to_infotext(result: FormatResult) -> str:
    """Prompt, negative prompt and the settings line (steps, sampler, scheduler, CFG, size)."""
    s = result.settings
    params = {
        "Steps": s.steps,
        "Sampler": s.sampler_name,
        "Schedule type": s.scheduler,
        "CFG scale": _number(s.cfg_scale),
        "Size": f"{s.width}x{s.height}",
    }
    lines = [result.prompt]
    if result.negative_prompt:
        lines.append(f"Negative prompt: {result.negative_prompt}")
    lines.append(", ".join(f"{key}: {_quote(value)}" for key, value in params.items()))
    return "\n".join(lines)
