"""The prompt's syntax tree: small frozen values that render back to the exact input.

Shape (outermost first)::

    Prompt   = Part ("AND" Part)*                 # split like the host: at any depth
    Part     = Segment (Boundary Segment)* weight # weight: the host's trailing ":0.5"
    Segment  = gap Item (gap Item)* gap           # gaps hold the commas and whitespace
    Item     = Node+                              # one comma-separated entry at depth 0
    Node     = Text | Escape | Paren | Square | Braces | Network | Comment

Keeping separators as raw text is what makes ``render(parse(s)) == s`` hold
for every string, so a parse never loses a character the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True, slots=True)
class Text:
    """A run of plain characters (may include ``:``, ``|``, whitespace, stray brackets)."""

    text: str


@dataclass(frozen=True, slots=True)
class Escape:
    """``\\x``: the host reads ``x`` literally (``\\(`` is a parenthesis, not emphasis)."""

    char: str


@dataclass(frozen=True, slots=True)
class Paren:
    """``(...)`` emphasis, ×1.1, or ``(...:w)`` with an explicit weight.

    ``weight`` is the raw text between the last child and ``)``, e.g. ``":1.2"``;
    ``closed`` is False when the user never closed it (the host closes it at the end).
    """

    children: tuple[Node, ...]
    weight: str | None = None
    closed: bool = True


@dataclass(frozen=True, slots=True)
class Square:
    """``[...]``: de-emphasis, or a ``[a:b:n]`` schedule, or an ``[a|b]`` alternation."""

    children: tuple[Node, ...]
    closed: bool = True


@dataclass(frozen=True, slots=True)
class Braces:
    """``{...}``: dynamic-prompts variants; the host itself ignores braces."""

    children: tuple[Node, ...]
    closed: bool = True


@dataclass(frozen=True, slots=True)
class Network:
    """``<lora:name:0.8>`` and other extra networks: opaque, spelled exactly as written."""

    raw: str


@dataclass(frozen=True, slots=True)
class Comment:
    """``# ...`` / ``// ...`` to end of line, or ``/* ... */``: the hosts strip these."""

    raw: str


Node = Union[Text, Escape, Paren, Square, Braces, Network, Comment]


@dataclass(frozen=True, slots=True)
class Item:
    """One top-level entry. Equality and hashing use its exact text, not the node tree:
    the same text always parses to the same tree, and comparing strings is what makes
    the engine's per-item memo cheap."""

    nodes: tuple[Node, ...] = field(compare=False)
    balanced: bool  # False: a bracket opened or closed that has no partner in this item
    source: str  # the item's exact text (what render_item returns)


@dataclass(frozen=True, slots=True)
class Segment:
    items: tuple[Item, ...]
    gaps: tuple[str, ...]  # len(items) + 1: raw text before each item, then the tail


@dataclass(frozen=True, slots=True)
class Boundary:
    """Between segments: ``BREAK`` (a new 75-token chunk) or a comment line."""

    raw: str
    kind: str  # "break" | "comment"
    comma_before: bool = False  # a comma separated the comment from the item before it
    comma_after: bool = False  # ... from the item after it


@dataclass(frozen=True, slots=True)
class Part:
    segments: tuple[Segment, ...]
    boundaries: tuple[Boundary, ...]  # len(segments) - 1
    weight: str = ""  # raw trailing ":0.5" of an AND-part (also of a lone prompt)


@dataclass(frozen=True, slots=True)
class Prompt:
    parts: tuple[Part, ...]
    separators: tuple[str, ...]  # raw "AND" between parts; len(parts) - 1
