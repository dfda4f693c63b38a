"""A format result as the host's infotext, the text its "Send to" buttons parse.

The host fills txt2img/img2img from a pasted infotext (prompt lines, then
``Negative prompt:``, then a ``Key: value, ...`` line), so speaking that format
gives our send buttons exactly the host's own behaviour, including which fields
it fills, on both A1111 and reForge, without touching their components.

The adapter's own keys go in too (``Animagine: <preset>``, its locks, negative and
rating), because the host's paste also restores script controls from the
infotext: that is what switches the Animagine accordion on in the target tab, so
the prompt sent is formatted the same way again when it is generated. The key
names are those of ``animagine_webui/infotext.py`` (a test holds them equal).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from animagine_prompt.options import FormatOptions
from animagine_prompt.presets import Preset
from animagine_prompt.result import FormatResult, GenerationSettings

KEY = "Animagine"
KEY_LOCKS = "Animagine locks"
KEY_NEGATIVE = "Animagine negative"
KEY_RATING = "Animagine rating"


def _quote(value: object) -> str:
    """Values with a comma, colon or newline are JSON-quoted, as the host's parser expects."""
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if any(c in text for c in ",:\n") else text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def animagine_params(preset: Preset, options: FormatOptions, settings: GenerationSettings) -> dict[str, str]:
    """Our keys for a tab result: the accordion on with this preset, and a lock only where the sent
    value is the preset's, so generating keeps the CFG and steps the user chose in the tab."""
    same_sampler = (settings.sampler_name, settings.scheduler) == (preset.sampler_name, preset.scheduler)
    locks = ["sampler"] if same_sampler else []
    if settings.cfg_scale == preset.cfg_scale:
        locks.append("cfg")
    if settings.steps == preset.steps:
        locks.append("steps")
    if (settings.width, settings.height) in preset.resolutions:
        locks.append("size")
    params = {
        KEY: preset.name,
        KEY_LOCKS: "+".join(locks) or "none",
        KEY_NEGATIVE: "on" if options.inject_negative else "off",
    }
    if options.rating:
        params[KEY_RATING] = options.rating
    return params


def to_infotext(result: FormatResult, extra: Mapping[str, str] | None = None) -> str:
    """Prompt, negative prompt and the settings line (steps, sampler, scheduler, CFG, size, then ``extra``)."""
    s = result.settings
    params: dict[str, object] = {
        "Steps": s.steps,
        "Sampler": s.sampler_name,
        "Schedule type": s.scheduler,
        "CFG scale": _number(s.cfg_scale),
        "Size": f"{s.width}x{s.height}",
        **(extra or {}),
    }
    lines = [result.prompt]
    if result.negative_prompt:
        lines.append(f"Negative prompt: {result.negative_prompt}")
    lines.append(", ".join(f"{key}: {_quote(value)}" for key, value in params.items()))
    return "\n".join(lines)
