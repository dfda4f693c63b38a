"""Which comment dialect the running host reads, asked of the host itself.

A1111 strips ``#`` comments while its *Enable comments* option is on; reForge strips ``#``,
``//`` and ``/* */`` always (see ``animagine_prompt.syntax.dialect``). Rather than guess the
host from its name or version, its own ``strip_comments`` is tried on ``a // b``: the host
decides what a comment is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any


def host_dialect(opts: Any, strip: Callable[[str], str] | None = None) -> str:
    """``"reforge"``, ``"a1111"`` or ``"plain"`` (A1111 with comments off) for the running host."""
    strip = strip if strip is not None else _host_strip()
    if strip is not None and _strips_slashes(strip):
        return "reforge"  # it strips comments in every process(), with no option to turn it off
    if strip is None:
        return "a1111"
    enabled = getattr(opts, "enable_prompt_comments", True) if opts is not None else True
    return "plain" if enabled is False else "a1111"


def _host_strip() -> Callable[[str], str] | None:
    try:
        from modules.processing_scripts import comments  # the host's own module
    except Exception:  # noqa: BLE001 - no host (tests, standalone): A1111's reading
        return None
    strip = getattr(comments, "strip_comments", None)
    return strip if callable(strip) else None


@lru_cache(maxsize=4)
def _strips_slashes(strip: Callable[[str], str]) -> bool:
    try:
        return "//" not in strip("a // b")
    except Exception:  # noqa: BLE001
        return False
