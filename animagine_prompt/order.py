"""Animagine's template order for the items of one segment.

``people → character(s) with their series → rating → everything else in the
user's order → quality and score``. A series written right after a character
stays with it (the card's cosplay example depends on this); a series written
anywhere else joins the block after all characters.
"""

from __future__ import annotations

from collections.abc import Sequence

from .categories import Category
from .classify import Analysis
from .options import Placement

_FLEX = (Category.ARTIST, Category.YEAR, Category.META)


def order_items(
    items: Sequence[Analysis], placement: Placement, tail_first: Sequence[str] = (), *, quality_first: bool = False
) -> list[int]:
    """Indices of ``items`` in template order.

    ``tail_first``: tag names (the preset's quality suffix) that close the prompt in
    the preset's order, as the model card writes them; the user's other quality tags
    (``best quality`` under 4.0) come just before them, in the user's order.
    ``quality_first``: the preset's model wants them as a prefix (Pony's score tags,
    NoobAI's card): the preset's tags open the prompt, the user's other quality tags follow.
    """
    people: list[int] = []
    clusters: list[list[int]] = []
    loose_series: list[int] = []
    ratings: list[int] = []
    flex: list[int] = []
    body: list[int] = []
    tail: list[int] = []
    attached = False  # the previous item was a character or a series attached to one
    for i, a in enumerate(items):
        cat = a.category
        if cat is Category.CHARACTER:
            clusters.append([i])
            attached = True
            continue
        if cat is Category.COPYRIGHT:
            if attached:
                clusters[-1].append(i)
            else:
                loose_series.append(i)
            continue
        attached = False
        if cat is Category.PEOPLE:
            people.append(i)
        elif cat is Category.RATING:
            ratings.append(i)
        elif cat in (Category.QUALITY, Category.SCORE) or _is_suffix(a, tail_first):
            tail.append(i)
        elif cat in _FLEX and placement is not Placement.GENERAL:
            flex.append(i)
        else:
            body.append(i)
    tail = _suffix_order(items, tail, tail_first, preset_first=quality_first)
    chars = [i for c in clusters for i in c]
    if quality_first:
        head = people + chars + loose_series + ratings
        if placement is Placement.AFTER_RATING:
            return tail + head + flex + body
        if placement is Placement.BEFORE_QUALITY:
            return tail + head + body + flex
        return tail + head + body
    if placement is Placement.AFTER_RATING:
        return people + chars + loose_series + ratings + flex + body + tail
    if placement is Placement.BEFORE_QUALITY:
        return people + chars + loose_series + ratings + body + flex + tail
    return people + chars + loose_series + ratings + body + tail


def _is_suffix(a: Analysis, names: Sequence[str]) -> bool:
    tag = a.tag
    return tag is not None and tag.info is not None and tag.info.name in names


def _suffix_order(items: Sequence[Analysis], tail: list[int], names: Sequence[str], *, preset_first: bool) -> list[int]:
    rank = {name: k for k, name in enumerate(names)}
    first: list[tuple[int, int]] = []
    rest: list[int] = []
    for i in tail:
        tag = items[i].tag
        if tag is not None and tag.info is not None and tag.info.name in rank:
            first.append((rank[tag.info.name], i))
        else:
            rest.append(i)
    ranked = [i for _, i in sorted(first)]
    return ranked + rest if preset_first else rest + ranked
