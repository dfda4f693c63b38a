"""User choices that change how a prompt is rewritten (not which model it is for)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Placement(str, Enum):
    """Where artist, year and meta tags go; the card leaves it open."""

    GENERAL = "general"  # with everything else, in the user's order (default)
    AFTER_RATING = "after_rating"  # right after the rating, before general tags
    BEFORE_QUALITY = "before_quality"  # at the end, just before the quality suffix


RATINGS = ("safe", "sensitive", "nsfw", "explicit")


@dataclass(frozen=True)
class FormatOptions:
    replace_underscores: bool = True
    placement: Placement = Placement.GENERAL
    add_series: bool = True
    rating: str | None = None  # one of RATINGS: inserted when the prompt has no rating
    append_quality: bool = True
    inject_negative: bool = True
    dedupe: bool = True
    plain_names: bool = True  # "makima" -> "makima (chainsaw man)" when one character clearly dominates
    # which host reads the prompt, for what is a comment: "a1111", "reforge" or "plain" (see syntax.dialect)
    dialect: str = "a1111"
