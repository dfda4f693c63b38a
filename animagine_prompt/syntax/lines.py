"""An item's lines, as items of their own: ``solo⏎long hair`` is one item to the host.

The host splits nothing at a line break (it is whitespace to CLIP, so ``solo⏎long hair``
reads "solo long hair"), but a user who writes one tag per line means one tag per line.
Only line breaks in the item's top-level text count: one inside ``( )`` or ``[ ]``
belongs to that group. Whether to act on it is the formatter's call (it is a change of
meaning, and reported as one).
"""

from __future__ import annotations

from .nodes import Item, Node, Text
from .render import render_nodes


def split_lines(item: Item) -> tuple[Item, ...]:
    """The item cut at its top-level line breaks, each piece stripped; ``(item,)`` if there is none."""
    if not item.balanced or not any(type(n) is Text and "\n" in n.text for n in item.nodes):  # type: ignore[union-attr]
        return (item,)
    runs: list[list[Node]] = [[]]
    for node in item.nodes:
        if type(node) is Text and "\n" in node.text:  # type: ignore[union-attr]
            first, *rest = node.text.split("\n")  # type: ignore[union-attr]
            runs[-1].append(Text(first))
            for line in rest:
                runs.append([Text(line)])
        else:
            runs[-1].append(node)
    pieces = []
    for run in runs:
        nodes = _strip(run)
        if nodes:
            pieces.append(Item(nodes, True, render_nodes(nodes)))
    return tuple(pieces) if len(pieces) > 1 else (item,)


def _strip(run: list[Node]) -> tuple[Node, ...]:
    """The run without blank text at its edges (a piece's own spaces are gaps, not text)."""

    def blank(n: Node) -> bool:
        return type(n) is Text and not n.text.strip()  # type: ignore[union-attr]

    nodes = list(run)
    while nodes and blank(nodes[0]):
        nodes.pop(0)
    while nodes and blank(nodes[-1]):
        nodes.pop()
    if not nodes:
        return ()
    if type(nodes[0]) is Text:
        nodes[0] = Text(nodes[0].text.lstrip())  # type: ignore[union-attr]
    if type(nodes[-1]) is Text:
        nodes[-1] = Text(nodes[-1].text.rstrip())  # type: ignore[union-attr]
    return tuple(nodes)
