"""Preset locks: sampler, scheduler, CFG, steps and size, set on ``p`` in ``before_process``.

Why ``before_process``: it runs before the host normalises sampler names
(``fix_p_invalid_sampler_and_scheduler``), before the hires target size is
computed in ``p.init()`` and before the noise generator is built from
``p.width``/``p.height``; ``setup()`` would be overwritten by the UI's sampler
script and skipped by the API (HOST_API §1).

An X/Y/Z plot axis over a locked field wins: the lock for that field is skipped
and the infotext says so, because a grid whose every cell shows the same CFG
would silently defeat what the user asked to compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from animagine_prompt.presets import Preset
from animagine_prompt.resolution import snap_resolution

from .args import ScriptArgs

#: X/Y/Z axis label (A1111 ``scripts/xyz_grid.py`` ``axis_options``) -> the field it sets.
XYZ_AXIS_FIELDS: dict[str, str] = {
    "Sampler": "sampler",
    "Schedule type": "scheduler",
    "CFG Scale": "cfg",
    "Steps": "steps",
    "Size": "size",
}
XYZ_TITLE = "X/Y/Z plot"


@dataclass(frozen=True)
class LockReport:
    applied: tuple[str, ...]  # lock fields actually set: sampler, scheduler, cfg, steps, size
    yielded: tuple[str, ...]  # skipped because an X/Y/Z axis sets that field
    notes: tuple[str, ...]  # one-line problems (an invalid sampler name in a user preset...)


def _host_sampler_maps() -> tuple[Any, Any, Any]:
    """``(all_samplers_map, samplers_map, schedulers)`` of the running host, or Nones outside it."""
    try:
        from modules import sd_samplers, sd_schedulers  # type: ignore[import-not-found]
    except Exception:
        return None, None, None
    return (
        getattr(sd_samplers, "all_samplers_map", None),
        getattr(sd_samplers, "samplers_map", None),
        getattr(sd_schedulers, "schedulers", None),
    )


def _scheduler_label(name: str, schedulers: Any) -> str | None:
    """The host's label (``"Karras"``) for a label, name or alias, any case; None if unknown."""
    low = name.strip().lower()
    for sch in schedulers:
        options = [sch.label, sch.name, *(getattr(sch, "aliases", None) or [])]
        if low in (o.lower() for o in options):
            return sch.label
    return None


def _sampler_name(name: str, all_map: Any, alias_map: Any) -> str | None:
    if name in all_map:
        return name
    low = name.strip().lower()
    for key in all_map:
        if key.lower() == low:
            return key
    if alias_map and low in alias_map:
        return alias_map[low]
    return None


def resolve_sampler(sampler: str, scheduler: str) -> tuple[str | None, str | None]:
    """Canonical ``(sampler, scheduler)`` names valid in this host, or None for a part it lacks.

    Accepts legacy combined names (``"DPM++ 2M Karras"`` -> ``("DPM++ 2M", "Karras")``),
    which only the host's ``get_sampler_and_scheduler`` splits, and which that
    function silently replaces with its default sampler when unknown; this one
    reports them instead. Outside a host the names pass through unchanged.
    """
    all_map, alias_map, schedulers = _host_sampler_maps()
    if all_map is None:
        return sampler, scheduler
    schedulers = schedulers or []
    found_sampler = _sampler_name(sampler, all_map, alias_map)
    found_scheduler = _scheduler_label(scheduler, schedulers) if scheduler else None
    if found_sampler is None:
        low = sampler.strip().lower()
        for sch in schedulers:
            for option in (sch.label, sch.name, *(getattr(sch, "aliases", None) or [])):
                if low.endswith(" " + option.lower()):
                    base = _sampler_name(sampler.strip()[: -len(option) - 1], all_map, alias_map)
                    if base is not None:
                        return base, sch.label
    return found_sampler, found_scheduler


def xyz_axis_fields(p: Any) -> frozenset[str]:
    """Fields an X/Y/Z plot run varies, when the current run *is* an X/Y/Z plot.

    Only the selected script's title is trusted to say that (``p.script_args[0]``
    is its index + 1, in the UI and in the API), since ``shared.state.xyz_plot_*``
    keep the axes of the last plot forever; those axes are read from the state
    (set just before the cells run), falling back to the script's own arguments.
    """
    try:
        script_args = p.script_args
        index = script_args[0] if script_args else 0
        if not isinstance(index, int) or index <= 0:
            return frozenset()
        script = p.scripts.selectable_scripts[index - 1]
        if script.title() != XYZ_TITLE:
            return frozenset()
        labels: list[str] = []
        try:
            from modules import shared  # type: ignore[import-not-found]

            for attr in ("xyz_plot_x", "xyz_plot_y", "xyz_plot_z"):
                info = getattr(shared.state, attr, None)
                if info is not None:
                    labels.append(info.axis.label)
        except Exception:
            labels = []
        if not labels:
            own = list(script_args[script.args_from : script.args_to])
            options = script.current_axis_options
            labels = [options[own[i] or 0].label for i in (0, 3, 6) if i < len(own)]
    except Exception:
        return frozenset()
    return frozenset(XYZ_AXIS_FIELDS[label] for label in labels if label in XYZ_AXIS_FIELDS)


def apply_locks(p: Any, args: ScriptArgs, preset: Preset, xyz_fields: frozenset[str]) -> LockReport:
    """Set the locked fields on ``p``; return what was set, skipped and why."""
    applied: list[str] = []
    yielded: list[str] = []
    notes: list[str] = []

    if args.lock_sampler:
        sampler, scheduler = resolve_sampler(preset.sampler_name, preset.scheduler)
        if sampler is None:
            notes.append(f"sampler {preset.sampler_name!r} is not available here; sampler left as chosen")
        elif "sampler" in xyz_fields:
            yielded.append("sampler")
        else:
            p.sampler_name = sampler
            applied.append("sampler")
        if sampler is not None:
            if scheduler is None:
                notes.append(f"schedule type {preset.scheduler!r} is not available here; left as chosen")
            elif "scheduler" in xyz_fields:
                yielded.append("scheduler")
            else:
                p.scheduler = scheduler
                applied.append("scheduler")

    if args.lock_cfg:
        if "cfg" in xyz_fields:
            yielded.append("cfg")
        else:
            p.cfg_scale = float(preset.cfg_scale)
            # A separate hires CFG. reForge: 0 = follow cfg_scale, < 0 = skip the negative (kept).
            # Forge: the hires pass always uses hr_cfg (sd_samplers_cfg_denoiser.py 187-188, no
            # "follow" value, minimum 1), so locking CFG locks it too, as A1111's hires uses cfg_scale.
            hr_cfg = getattr(p, "hr_cfg", None)
            if isinstance(hr_cfg, (int, float)) and hr_cfg > 0:
                p.hr_cfg = float(preset.cfg_scale)
            applied.append("cfg")

    if args.lock_steps:
        if "steps" in xyz_fields:
            yielded.append("steps")
        else:
            p.steps = int(preset.steps)
            applied.append("steps")

    if args.lock_size:
        if "size" in xyz_fields:
            yielded.append("size")
        elif getattr(p, "txt2img_upscale", False):
            # The gallery's "Upscale" button: the first pass is an image that already exists, at
            # its own size (Forge sets p.width/p.height from it, txt2img.py 90-92); snapping would
            # give a hires target that no longer matches it. Not a problem to report: left as is.
            pass
        else:
            p.width, p.height = snap_resolution(int(p.width), int(p.height), preset.resolutions)
            applied.append("size")

    return LockReport(tuple(applied), tuple(yielded), tuple(notes))
