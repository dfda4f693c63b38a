"""Snap any requested size to the preset's SDXL training buckets."""

from __future__ import annotations

import math
from collections.abc import Sequence


def snap_resolution(width: int, height: int, buckets: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The bucket whose aspect ratio is closest to width:height (log-ratio distance).

    Log distance treats 2:1 and 1:2 symmetrically, which a plain ratio
    difference does not. Ties go to the larger bucket area, then list order.
    """
    if not buckets:
        raise ValueError("no resolutions to snap to")
    if width <= 0 or height <= 0:
        return buckets[0]
    target = math.log(width / height)
    return min(buckets, key=lambda b: (round(abs(math.log(b[0] / b[1]) - target), 9), -b[0] * b[1]))


def aspect_label(width: int, height: int) -> str:
    """``832 × 1216 (13:19)`` style labels for pickers."""
    g = math.gcd(width, height)
    return f"{width} × {height} ({width // g}:{height // g})"
