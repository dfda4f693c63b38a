"""The accordion's one-line "what will change" text, and the lock labels that show preset values.

Pure functions of the arguments and the preset, so the UI callback is trivial
and the wording is tested without gradio.
"""

from __future__ import annotations

import html

from animagine_prompt.presets import Preset

from .args import ScriptArgs


def _num(value: float) -> str:
    return f"{value:g}"


def lock_labels(preset: Preset) -> dict[str, str]:
    """Checkbox labels that say what each lock will set, for the selected preset."""
    return {
        "sampler": f"Lock sampler ({preset.sampler_name} / {preset.scheduler})",
        "cfg": f"Lock CFG ({_num(preset.cfg_scale)})",
        "steps": f"Lock steps ({preset.steps})",
        "size": "Snap size to SDXL buckets",
    }


def summary_text(args: ScriptArgs, preset: Preset | None) -> str:
    """One short line: the toggle state, what happens to the prompt, then what the locks set."""
    if not args.enabled:
        return "Off: prompts, sampler and size are used as written."
    if preset is None:
        return f"On, but preset {args.preset!r} is unknown: prompts will be left as written."
    parts = ["Animagine tag order", "quality tags"]
    if args.inject_negative:
        parts.append("model's negative prompt")
    if args.rating:
        parts.append(f"rating '{args.rating}' if missing")
    locks = []
    if args.lock_sampler:
        locks.append(f"{preset.sampler_name} / {preset.scheduler}")
    if args.lock_cfg:
        locks.append(f"CFG {_num(preset.cfg_scale)}")
    if args.lock_steps:
        locks.append(f"{preset.steps} steps")
    if args.lock_size:
        locks.append("SDXL bucket size")
    text = f"On ({preset.name}): " + ", ".join(parts)
    return text + (". Sets " + ", ".join(locks) + "." if locks else ".")


def summary_html(args: ScriptArgs, preset: Preset | None) -> str:
    return f"<div class='animagine-summary'>{html.escape(summary_text(args, preset))}</div>"
