"""The script's positional arguments: one frozen value instead of eight loose parameters.

The host passes the values of the components ``ui()`` returns, in that order, to
every hook; the HTTP API passes whatever JSON the caller wrote in
``alwayson_scripts["Animagine XL"]["args"]``. Both go through :func:`parse_args`,
so a string ``"False"`` from a hand-written request means False, not True, and a
value that fits no argument (an old infotext, a request whose args are shifted by
one) is named in ``ScriptArgs.problems`` instead of being guessed at.

The order below **is the public API argument order** (documented in docs/webui.md);
append new arguments at the end only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from animagine_prompt.options import RATINGS
from animagine_prompt.presets import DEFAULT_PRESET

ARG_NAMES: tuple[str, ...] = (
    "enabled",
    "preset",
    "lock_sampler",
    "lock_cfg",
    "lock_steps",
    "lock_size",
    "inject_negative",
    "rating",
)

#: The lock names, as written in the infotext (``Animagine locks: sampler+cfg``) and settings.
LOCKS: tuple[str, ...] = ("sampler", "cfg", "steps", "size")

NO_RATING = "none"
RATING_CHOICES: tuple[str, ...] = (NO_RATING, *RATINGS)


@dataclass(frozen=True)
class ScriptArgs:
    enabled: bool = False
    preset: str = DEFAULT_PRESET
    lock_sampler: bool = True
    lock_cfg: bool = True
    lock_steps: bool = True
    lock_size: bool = True
    inject_negative: bool = True
    rating: str | None = None
    #: One line per argument that did not parse; the script then leaves the generation alone.
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def locks(self) -> tuple[str, ...]:
        """The locks that are on, in the fixed order of :data:`LOCKS`."""
        flags = (self.lock_sampler, self.lock_cfg, self.lock_steps, self.lock_size)
        return tuple(name for name, on in zip(LOCKS, flags, strict=False) if on)


def to_bool(value: Any, default: bool) -> bool:
    """JSON and infotext spell booleans many ways; ``bool("False")`` would be True."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return default


def to_rating(value: Any) -> str | None:
    """``None``/``"none"``/unknown mean "do not add a rating"."""
    if value is None:
        return None
    text = str(value).strip().lower()
    return text if text in RATINGS else None


_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0", "")


def _describe(index: int, value: Any) -> str:
    return f"argument {index} ({ARG_NAMES[index]}) = {value!r}"


def parse_args(values: Sequence[Any], defaults: ScriptArgs = ScriptArgs()) -> ScriptArgs:
    """Positional component values (possibly fewer, or None for "not given") to :class:`ScriptArgs`.

    A value of the wrong kind keeps the default and adds a line to ``problems``.
    Problems are kept only when formatting was asked for (``enabled`` true) or
    ``enabled`` itself did not parse: a generation that switched us off is not ours
    to complain about.
    """
    given = dict(zip(ARG_NAMES, values, strict=False))
    problems: list[str] = []

    def boolean(name: str) -> bool:
        default = getattr(defaults, name)
        value = given.get(name)
        if value is None or isinstance(value, bool):
            return default if value is None else value
        if isinstance(value, (int, float)):
            return value != 0
        text = value.strip().lower() if isinstance(value, str) else None
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        problems.append(f"{_describe(ARG_NAMES.index(name), value)} is not true or false")
        return default

    def preset() -> str:
        value = given.get("preset")
        if value is None:
            return defaults.preset
        if not isinstance(value, str):
            problems.append(f"{_describe(1, value)} is not a preset name")
            return defaults.preset
        return value.strip() or defaults.preset

    def rating() -> str | None:
        if "rating" not in given:
            return defaults.rating
        value = given["rating"]
        text = value.strip().lower() if isinstance(value, str) else None
        if value is None or text in ("", NO_RATING):
            return None
        if text in RATINGS:
            return text
        problems.append(f"{_describe(7, value)} is not one of {', '.join(RATING_CHOICES)}")
        return None

    enabled = boolean("enabled")
    enabled_failed = bool(problems)
    args = ScriptArgs(
        enabled=enabled,
        preset=preset(),
        lock_sampler=boolean("lock_sampler"),
        lock_cfg=boolean("lock_cfg"),
        lock_steps=boolean("lock_steps"),
        lock_size=boolean("lock_size"),
        inject_negative=boolean("inject_negative"),
        rating=rating(),
    )
    if problems and (enabled or enabled_failed):
        return replace(args, problems=tuple(problems))
    return args


#: Attributes X/Y/Z axes set on the per-cell copy of ``p``; they win over the UI values.
XYZ_ATTRS: dict[str, str] = {
    "enabled": "animagine_xyz_enabled",
    "preset": "animagine_xyz_preset",
    "rating": "animagine_xyz_rating",
    "inject_negative": "animagine_xyz_negative",
    "locks": "animagine_xyz_locks",
}


def with_overrides(args: ScriptArgs, p: object) -> ScriptArgs:
    """Apply X/Y/Z axis values stored on ``p`` (a shallow copy per cell, so nothing leaks)."""
    changes: dict[str, Any] = {}
    enabled = getattr(p, XYZ_ATTRS["enabled"], None)
    if enabled is not None:
        changes["enabled"] = to_bool(enabled, args.enabled)
    preset = getattr(p, XYZ_ATTRS["preset"], None)
    if preset:
        changes["preset"] = str(preset)
    if hasattr(p, XYZ_ATTRS["rating"]):
        changes["rating"] = to_rating(getattr(p, XYZ_ATTRS["rating"]))
    negative = getattr(p, XYZ_ATTRS["inject_negative"], None)
    if negative is not None:
        changes["inject_negative"] = to_bool(negative, args.inject_negative)
    locks = getattr(p, XYZ_ATTRS["locks"], None)
    if locks is not None:
        on = to_bool(locks, True)
        changes.update(lock_sampler=on, lock_cfg=on, lock_steps=on, lock_size=on)
    return replace(args, **changes) if changes else args
