"""Hypothesis strategies that speak the WebUI prompt language (test support only).

Why: a formatter that only ever sees tidy tag lists proves little. These
strategies build prompts from every construct the host understands (weights,
groups with commas, schedules, alternation, escapes, ``BREAK``, ``AND`` with a
weight, extra networks, comments) plus the things users paste that the host
does *not* understand (``__wildcards__``, ``{a|b}``, unbalanced brackets,
garbage), mixed with known Danbooru tags spelled the many ways users type them.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

from .tagtable import ALIASES, EMOTICONS, TAGS

__all__ = [
    "any_text",
    "bracket_soup",
    "item",
    "known_tag",
    "plain_tag",
    "prompts",
    "realistic_prompts",
]

_RESERVED = re.compile(r"\b(?:AND|BREAK)\b")

_WORD_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_  _-'.!?+^~=猫耳少女東方初音ミク星éßøñ🌸✨🐱"
)

# "x2.5": reForge repeats the group (2 copies, the last at 1.5); A1111 reads ":x2.5" as text
WEIGHTS = ("1.2", "0.8", "1", "1.5", ".5", "2", "0", "1.05", "-1", "0.9", "1.", " 1.3 ", "x2.5", "x0.8", "x3", "x-2")
WHENS = ("0.5", "10", "5", "0.25", ".3", "1", "27", "28", "100", "0", " 0.7 ", "-3")
SEPARATORS = (", ", ",", " , ", ",\n", ",  ", ", ,", "\n", ",\n\n", " ,", ",\t")
BREAKS = (" BREAK ", "\nBREAK\n", ", BREAK, ", "BREAK,", " BREAK\n", ",BREAK ")
NETWORKS = (
    "<lora:add_detail:0.8>",
    "<lora:animagine_style:1>",
    "<lora:Character-v2:0.6:lbw=1,0,0>",
    "<hypernet:anime:1>",
    "<lyco:soft_light:0.5:0.7>",
    "<lora:my_lora>",
    "<my_lora>",  # no ":": plain text to the host
)
EMBEDDINGS = ("easynegative", "bad_prompt_version2", "verybadimagenegative_v1.3", "negative_hand-neg")
WILDCARDS = ("__hair_color__", "__animagine/outfits__", "__pose__", "{red|blue} eyes", "{2$$a|b|c}", "{cat|dog}")


def plain_tag() -> st.SearchStrategy[str]:
    """Words the knowledge base does not know: any case, underscores, CJK, emoji."""
    return st.text(alphabet=_WORD_ALPHABET, min_size=1, max_size=14).filter(
        lambda s: s.strip() != "" and _RESERVED.search(s) is None
    )


def _spellings(name: str) -> list[str]:
    """The ways users type one canonical tag (all must normalise back to it)."""
    escaped = name.replace("(", "\\(").replace(")", "\\)")
    forms = [name, escaped, escaped.title(), escaped.upper()]
    if name not in EMOTICONS:
        forms += [escaped.replace(" ", "_"), escaped.replace(" ", "_").title(), escaped.replace(" ", "  ")]
    return forms


_KNOWN = tuple(sorted({form for name in TAGS for form in _spellings(name) if not _RESERVED.search(form)}))
_ALIASES = tuple(sorted(ALIASES))


def known_tag(bare_parens: bool = False) -> st.SearchStrategy[str]:
    """A tag the in-memory knowledge base knows, in a user's spelling.

    ``bare_parens`` also allows ``firefly (honkai: star rail)`` unescaped (only meaningful
    as a whole top-level item: that is the case the engine escapes).
    """
    forms = st.sampled_from(_KNOWN) | st.sampled_from(_ALIASES)
    if bare_parens:
        forms = forms | st.sampled_from(sorted(n for n in TAGS if "(" in n))
    return forms


def _atom() -> st.SearchStrategy[str]:
    return st.one_of(
        known_tag(),
        plain_tag(),
        st.sampled_from(EMBEDDINGS),
        st.sampled_from(("\\(smile\\)", "sign \\[wip\\]", "a\\\\b", ":3", ":d", ";)")),
    )


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    w = st.sampled_from(WEIGHTS)
    when = st.sampled_from(WHENS)
    return st.one_of(
        st.builds(lambda a, x: f"({a}:{x})", inner, w),
        st.builds(lambda a: f"({a})", inner),
        st.builds(lambda a: f"(({a}))", inner),
        st.builds(lambda a: f"[{a}]", inner),
        st.builds(lambda a, b, x: f"({a}, {b}:{x})", inner, inner, w),
        st.builds(lambda a, b, x: f"(({a}, {b}:{x}))", inner, inner, w),
        st.builds(lambda a, b, t: f"[{a}:{b}:{t}]", inner, inner, when),
        st.builds(lambda a, t: f"[{a}:{t}]", inner, when),
        st.builds(lambda a, t: f"[{a}::{t}]", inner, when),
        st.builds(lambda a, b: f"[{a}|{b}]", inner, inner),
        st.builds(lambda a, b, c: f"[{a}|{b}|{c}]", inner, inner, inner),
        st.builds(lambda a, b: f"{a} {b}", inner, inner),
    )


_ITEM = st.recursive(_atom(), _extend, max_leaves=3)


def item() -> st.SearchStrategy[str]:
    """One comma item: a tag, possibly weighted, grouped, scheduled or alternated (nested)."""
    return _ITEM


_TOP_ITEM = st.one_of(
    _ITEM,
    _ITEM,
    known_tag(bare_parens=True),
    st.sampled_from(NETWORKS),
    st.sampled_from(WILDCARDS),
    st.builds(lambda a: f"({a}", _ITEM),  # unbalanced: never closed
    st.builds(lambda a: f"{a})", _ITEM),  # unbalanced: stray closer
    st.builds(lambda a: f"[{a}", _ITEM),
    st.builds(lambda a: f"# {a}\n", _ITEM),  # a comment to the end of the line
    st.text(max_size=8),  # garbage
)


@st.composite
def _segment(draw, items: st.SearchStrategy[str], max_items: int) -> str:
    parts = draw(st.lists(items, max_size=max_items))
    out = [draw(st.sampled_from(("", "", " ", "\n", ", ")))]
    for k, p in enumerate(parts):
        if k:
            out.append(draw(st.sampled_from(SEPARATORS)))
        out.append(p)
    out.append(draw(st.sampled_from(("", "", "", ",", " ", "\n", ", "))))
    return "".join(out)


@st.composite
def _prompt(draw, items: st.SearchStrategy[str], max_items: int, max_breaks: int, max_ands: int) -> str:
    and_parts = []
    for _ in range(draw(st.integers(1, max_ands + 1))):
        segments = [draw(_segment(items, max_items)) for _ in range(draw(st.integers(1, max_breaks + 1)))]
        text = segments[0]
        for segment in segments[1:]:
            text += draw(st.sampled_from(BREAKS)) + segment
        if draw(st.integers(0, 3)) == 0:
            text += draw(st.sampled_from((":0.5", " :1.2", ":2", ": .7 ")))
        and_parts.append(text)
    return " AND ".join(and_parts)


def prompts(max_items: int = 6) -> st.SearchStrategy[str]:
    """Prompts over the whole host grammar, the quirks users paste, and garbage."""
    return _prompt(_TOP_ITEM, max_items, max_breaks=2, max_ands=1)


def realistic_prompts(max_items: int = 10) -> st.SearchStrategy[str]:
    """Mostly known tags with some weights: the prompts the classifier and orderer work hardest on."""
    tops = st.one_of(
        known_tag(bare_parens=True),
        known_tag(),
        known_tag(),
        st.builds(lambda a, w: f"({a}:{w})", known_tag(), st.sampled_from(WEIGHTS)),
        plain_tag(),
        st.sampled_from(NETWORKS),
    )
    return _prompt(tops, max_items, max_breaks=1, max_ands=0)


def bracket_soup() -> st.SearchStrategy[str]:
    """Short strings dense in syntax characters, where parsers break."""
    pieces = st.sampled_from([*"ab ,:|\\()[]{}<>#/*_\n.1", "BREAK", " AND ", "lora"])
    return st.lists(pieces, max_size=30).map("".join)


def any_text() -> st.SearchStrategy[str]:
    """Anything at all: arbitrary unicode, grammar-shaped prompts and syntax soup."""
    return st.one_of(st.text(max_size=120), prompts(), bracket_soup())
