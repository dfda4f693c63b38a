"""The extension's entries in the host's Settings tab, and one frozen snapshot of them.

Hooks read the settings once per generation through :func:`read_settings`, so a
value changed mid-batch never splits one generation between two behaviours.
The host's ``opts`` is passed in, which keeps this module testable without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from animagine_prompt.options import FormatOptions, Placement
from animagine_prompt.presets import DEFAULT_PRESET

from .args import LOCKS, ScriptArgs
from .dialect import host_dialect

SECTION = ("animagine", "Animagine XL")
CATEGORY = "sd"

PLACEMENT_LABELS = {
    Placement.GENERAL: "with the other tags, in your order",
    Placement.AFTER_RATING: "right after the rating",
    Placement.BEFORE_QUALITY: "at the end, before the quality tags",
}

#: key -> code default. Keys are what users see in config.json and the /sdapi/v1/options API.
DEFAULTS: dict[str, Any] = {
    "animagine_default_preset": DEFAULT_PRESET,
    "animagine_default_locks": list(LOCKS),
    "animagine_default_inject_negative": True,
    "animagine_replace_underscores": True,
    "animagine_placement": Placement.GENERAL.value,
    "animagine_add_series": True,
    "animagine_plain_names": True,
    "animagine_append_quality": True,
    "animagine_auto_enable": True,
    "animagine_warn_non_sdxl": True,
    "animagine_paste_original": False,
}


@dataclass(frozen=True)
class AdapterSettings:
    default_preset: str = DEFAULT_PRESET
    default_locks: tuple[str, ...] = LOCKS
    default_inject_negative: bool = True
    replace_underscores: bool = True
    placement: Placement = Placement.GENERAL
    add_series: bool = True
    plain_names: bool = True
    append_quality: bool = True
    auto_enable: bool = True
    warn_non_sdxl: bool = True
    paste_original: bool = False
    dialect: str = "a1111"  # what the host strips as comments (see .dialect), not a user setting

    def script_defaults(self) -> ScriptArgs:
        """What the accordion shows before the user touches it (and what API calls get)."""
        return ScriptArgs(
            enabled=False,
            preset=self.default_preset,
            lock_sampler="sampler" in self.default_locks,
            lock_cfg="cfg" in self.default_locks,
            lock_steps="steps" in self.default_locks,
            lock_size="size" in self.default_locks,
            inject_negative=self.default_inject_negative,
            rating=None,
        )

    def format_options(self, *, rating: str | None, inject_negative: bool) -> FormatOptions:
        return FormatOptions(
            replace_underscores=self.replace_underscores,
            placement=self.placement,
            add_series=self.add_series,
            plain_names=self.plain_names,
            rating=rating,
            append_quality=self.append_quality,
            inject_negative=inject_negative,
            dialect=self.dialect,
        )


def _placement(value: Any) -> Placement:
    try:
        return Placement(str(value))
    except ValueError:
        for placement, label in PLACEMENT_LABELS.items():
            if label == value:
                return placement
        return Placement.GENERAL


def read_settings(opts: Any) -> AdapterSettings:
    """A snapshot of the settings; missing or malformed values fall back to the defaults."""

    def get(key: str) -> Any:
        value = getattr(opts, key, None) if opts is not None else None
        return DEFAULTS[key] if value is None else value

    locks = get("animagine_default_locks")
    if isinstance(locks, str):
        locks = [part.strip() for part in locks.replace("+", ",").split(",")]
    return AdapterSettings(
        default_preset=str(get("animagine_default_preset")),
        default_locks=tuple(name for name in LOCKS if name in set(locks or ())),
        default_inject_negative=bool(get("animagine_default_inject_negative")),
        replace_underscores=bool(get("animagine_replace_underscores")),
        placement=_placement(get("animagine_placement")),
        add_series=bool(get("animagine_add_series")),
        plain_names=bool(get("animagine_plain_names")),
        append_quality=bool(get("animagine_append_quality")),
        auto_enable=bool(get("animagine_auto_enable")),
        warn_non_sdxl=bool(get("animagine_warn_non_sdxl")),
        paste_original=bool(get("animagine_paste_original")),
        dialect=host_dialect(opts),
    )


def option_infos(shared: Any, gr: Any, preset_names: list[str]) -> dict[str, Any]:
    """The host ``OptionInfo`` objects, in the order the Settings page lists them."""
    info = shared.OptionInfo
    options = {
        "animagine_default_preset": info(
            DEFAULTS["animagine_default_preset"], "Default preset", gr.Dropdown, {"choices": preset_names}
        ).info("the accordion's preset when the page loads; API calls that name no preset use it too"),
        "animagine_default_locks": info(
            DEFAULTS["animagine_default_locks"],
            "Locks that start switched on",
            gr.CheckboxGroup,
            {"choices": list(LOCKS)},
        ).info("sampler = sampler and schedule type; size = snap width and height to the nearest SDXL bucket"),
        "animagine_default_inject_negative": info(True, "Add the model's negative prompt by default"),
        "animagine_replace_underscores": info(True, "Replace underscores with spaces").info(
            "emoticon tags such as ^_^ keep theirs"
        ),
        "animagine_placement": info(
            DEFAULTS["animagine_placement"],
            "Where artist, year and meta tags go",
            gr.Radio,
            {"choices": [p.value for p in Placement]},
        ).info("; ".join(f"{p.value}: {label}" for p, label in PLACEMENT_LABELS.items())),
        "animagine_add_series": info(True, "Add the series of a recognised character when it is missing"),
        "animagine_plain_names": info(True, "Replace a plain character name by its Danbooru tag").info(
            "makima -> makima (chainsaw man), miku -> hatsune miku; only when one character clearly has the most posts"
        ),
        "animagine_append_quality": info(True, "Add the preset's quality tags").info(
            "at the end of the prompt, or at its start where the model's card puts them (Pony, NoobAI)"
        ),
        "animagine_auto_enable": info(
            True, "Follow the checkpoint: switch the accordion on for Animagine XL, pick the preset its name names"
        ).info(
            "accordion: 'animagine' in the checkpoint name or its modelspec.title; preset: Animagine 4.0/3.1, "
            "Illustrious, NoobAI, Pony by name; UI only, API calls are never changed"
        ),
        "animagine_warn_non_sdxl": info(True, "Warn when formatting for a model that is not SDXL"),
        "animagine_paste_original": info(
            False, "When pasting infotext, restore the prompt as it was before formatting"
        ).info("off: the formatted prompt is pasted (formatting it again gives the same text)"),
    }
    for value in options.values():
        value.section = SECTION
        value.category_id = CATEGORY
    return options
