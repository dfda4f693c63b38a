"""X/Y/Z plot axes: "[Animagine] Enabled", "Preset", "Rating", "Negative prompt", "Locks".

Added in ``on_before_ui`` the way the host's own hypertile extension does
(``extensions-builtin/hypertile/scripts/hypertile_script.py``): find the loaded
``xyz_grid.py`` module in ``scripts.scripts_data`` and extend ``axis_options``
with base ``AxisOption`` objects (the Txt2Img/Img2Img subclasses need an
``is_img2img`` the filter reads). Each axis stores its value as an attribute on
the cell's ``copy(p)``; the hooks read it (``args.with_overrides``), so a value
never leaks into the next cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .args import RATING_CHOICES, XYZ_ATTRS, to_bool

LABEL_PREFIX = "[Animagine] "
XYZ_MODULE = "xyz_grid.py"


def find_xyz_module(scripts_data: list[Any]) -> Any:
    for data in scripts_data:
        if getattr(data.script_class, "__module__", None) == XYZ_MODULE:
            return data.module
    return None


def _setter(attr: str, convert: Callable[[Any], Any]) -> Callable[[Any, Any, Any], None]:
    def apply(p: Any, x: Any, xs: Any) -> None:
        setattr(p, attr, convert(x))

    return apply


def _bool_choices() -> list[str]:
    return ["True", "False"]


def axis_options(
    xyz: Any, preset_names: Callable[[], list[str]], resolve_preset: Callable[[str], str | None]
) -> list[Any]:
    """The axes, built with the loaded xyz module's own ``AxisOption``."""

    def confirm_presets(p: Any, xs: list[Any]) -> None:
        for x in xs:
            if resolve_preset(str(x)) is None:
                raise RuntimeError(f"Unknown Animagine preset: {x} (choose from {', '.join(preset_names())})")

    def confirm_ratings(p: Any, xs: list[Any]) -> None:
        for x in xs:
            if str(x).strip().lower() not in RATING_CHOICES:
                raise RuntimeError(f"Unknown rating: {x} (choose from {', '.join(RATING_CHOICES)})")

    AxisOption = xyz.AxisOption  # noqa: N806 - the host's class
    return [
        AxisOption(
            f"{LABEL_PREFIX}Enabled",
            str,
            _setter(XYZ_ATTRS["enabled"], lambda x: to_bool(x, False)),
            choices=_bool_choices,
        ),
        AxisOption(
            f"{LABEL_PREFIX}Preset",
            str,
            _setter(XYZ_ATTRS["preset"], lambda x: resolve_preset(str(x)) or str(x)),
            confirm=confirm_presets,
            choices=preset_names,
        ),
        AxisOption(
            f"{LABEL_PREFIX}Rating",
            str,
            _setter(XYZ_ATTRS["rating"], lambda x: str(x).strip().lower()),
            confirm=confirm_ratings,
            choices=lambda: list(RATING_CHOICES),
        ),
        AxisOption(
            f"{LABEL_PREFIX}Negative prompt",
            str,
            _setter(XYZ_ATTRS["inject_negative"], lambda x: to_bool(x, True)),
            choices=_bool_choices,
        ),
        AxisOption(
            f"{LABEL_PREFIX}Locks",
            str,
            _setter(XYZ_ATTRS["locks"], lambda x: to_bool(x, True)),
            choices=_bool_choices,
        ),
    ]


def add_axes(
    scripts_data: list[Any], preset_names: Callable[[], list[str]], resolve_preset: Callable[[str], str | None]
) -> int:
    """Extend the xyz module's ``axis_options`` once; returns how many axes were added (0 if no xyz)."""
    xyz = find_xyz_module(scripts_data)
    if xyz is None:
        return 0
    existing = {getattr(o, "label", None) for o in xyz.axis_options}
    new = [o for o in axis_options(xyz, preset_names, resolve_preset) if o.label not in existing]
    xyz.axis_options.extend(new)
    return len(new)
