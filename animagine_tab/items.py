"""The top-level items of a prompt, where they sit in the text, and where ``BREAK`` falls.

The engine's own parser decides what an item is, so the diff chips, the chunk
report and a one-click fix all cut the prompt exactly where formatting does.
Positions are recovered by finding each item's exact source text in order,
which works because the parser is lossless (``render(parse(s)) == s``).
"""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.syntax import parse

BREAK = "BREAK"


def _walk(text: str) -> Iterator[str]:
    """Each item's source text in order, with ``BREAK`` where a break boundary separates segments."""
    for part in parse(text).parts:
        for index, segment in enumerate(part.segments):
            for item in segment.items:
                if item.source.strip():
                    yield item.source
            if index < len(part.boundaries) and part.boundaries[index].kind == "break":
                yield BREAK


def item_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every item of ``text`` (``BREAK`` excluded)."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for source in _walk(text):
        if source == BREAK:
            continue
        start = text.find(source, cursor)
        if start < 0:  # cannot happen with a lossless parser; never misplace a fix if it does
            continue
        spans.append((start, start + len(source)))
        cursor = start + len(source)
    return spans


def split_items(text: str) -> list[str]:
    """The items of ``text`` in order (``BREAK`` excluded)."""
    return [text[a:b] for a, b in item_spans(text)]


def prompt_items(text: str) -> list[str]:
    """The items of ``text`` in order, with each ``BREAK`` as an item of its own."""
    return list(_walk(text))
