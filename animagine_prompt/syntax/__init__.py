"""The WebUI prompt language: parse to frozen nodes, render back losslessly."""

from .nodes import Boundary, Braces, Comment, Escape, Item, Network, Node, Paren, Part, Prompt, Segment, Square, Text
from .parse import parse, parse_part
from .render import render, render_item, render_nodes

__all__ = [
    "Boundary", "Braces", "Comment", "Escape", "Item", "Network", "Node", "Paren", "Part", "Prompt",
    "Segment", "Square", "Text", "parse", "parse_part", "render", "render_item", "render_nodes",
]
