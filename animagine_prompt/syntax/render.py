"""Turn syntax trees back into text: exactly (``render``) or node by node."""

from __future__ import annotations

from collections.abc import Iterable

from .nodes import Braces, Comment, Escape, Item, Network, Node, Paren, Part, Prompt, Segment, Square, Text


def render_nodes(nodes: Iterable[Node]) -> str:
    return "".join(_render_node(n) for n in nodes)


def _render_node(node: Node) -> str:
    t = type(node)
    if t is Text:
        return node.text  # type: ignore[union-attr]
    if t is Escape:
        return "\\" + node.char  # type: ignore[union-attr]
    if t is Paren:
        inner = render_nodes(node.children)  # type: ignore[union-attr]
        return "(" + inner + (node.weight or "") + (")" if node.closed else "")  # type: ignore[union-attr]
    if t is Square:
        return "[" + render_nodes(node.children) + ("]" if node.closed else "")  # type: ignore[union-attr]
    if t is Braces:
        return "{" + render_nodes(node.children) + ("}" if node.closed else "")  # type: ignore[union-attr]
    if t is Network or t is Comment:
        return node.raw  # type: ignore[union-attr]
    raise TypeError(f"not a prompt node: {node!r}")


def render_item(item: Item) -> str:
    return item.source


def _render_segment(segment: Segment) -> str:
    out = [segment.gaps[0]]
    for item, gap in zip(segment.items, segment.gaps[1:]):
        out.append(render_item(item))
        out.append(gap)
    return "".join(out)


def _render_part(part: Part) -> str:
    out = [_render_segment(part.segments[0])]
    for boundary, segment in zip(part.boundaries, part.segments[1:]):
        out.append(boundary.raw)
        out.append(_render_segment(segment))
    out.append(part.weight)
    return "".join(out)


def render(prompt: Prompt) -> str:
    """The exact text that was parsed: ``render(parse(s)) == s``."""
    out = [_render_part(prompt.parts[0])]
    for sep, part in zip(prompt.separators, prompt.parts[1:]):
        out.append(sep)
        out.append(_render_part(part))
    return "".join(out)
