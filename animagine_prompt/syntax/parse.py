"""The one grammar of the WebUI prompt language, parsed the way the host reads it.

The host reads a prompt in stages (``modules/prompt_parser.py``): comments are
stripped, ``AND`` splits the text into sub-prompts *at any bracket depth*, each
sub-prompt may end in ``:weight``, then ``[a:b:n]``/``[a|b]`` schedules and
``()``/``[]`` emphasis are resolved, with ``\\`` escapes and ``BREAK``. Extra
networks ``<lora:...>`` are stripped first. This module mirrors those stages so
that whatever we treat as one unit is one unit for the host too:

* ``AND`` splits anywhere (``(a AND b)`` really is two sub-prompts);
* ``\\`` escapes only what the host escapes (``\\( \\) \\[ \\] \\\\``); any other
  backslash is a plain character, as for the host (so ``\\BREAK`` is still a BREAK);
* commas split items only at bracket depth 0;
* ``BREAK`` and comment lines split segments only at depth 0 (deeper, they stay
  inside the item that carries them, which then moves as a whole);
* a bracket never closed, or a closer with no partner inside a bracket, marks its item
  *unbalanced*: the formatter then never moves anything in that segment (a closer with
  no partner at depth 0, as in ``:)``, is plain text to the host wherever it stands).

What is a comment depends on the host (:mod:`.dialect`): ``//`` is text to A1111 and a
comment to reForge, so every entry point takes the ``dialect`` in force (A1111's by default).

Parsing is total and lossless: every string parses, and ``render(parse(s)) == s``.
"""

from __future__ import annotations

import re
from functools import cache

from .constructs import NUMBER
from .dialect import A1111, Dialect, comment_re
from .nodes import Boundary, Braces, Comment, Escape, Item, Network, Node, Paren, Part, Prompt, Segment, Square, Text
from .render import render_nodes

# The host's sub-prompt weight: a trailing ":number" (re_weight in prompt_parser.py).
_PART_WEIGHT = re.compile(r"\s*:\s*[-+]?(?:\d+\.?|\d*\.\d+)\s*$")

# Comments come from the dialect (see .dialect); "#", "/" and "*" that start none are text
# through the last alternative.
_TOKEN_REST = r"""
  | (?P<escape>\\[()\[\]\\])
  | (?P<network><\w+:[^>]+>)
  | (?P<weightclose>:\s*[+-]?[.\d]+\s*\))
  | (?P<brk>\bBREAK\b)
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<comma>,)
  | (?P<text>(?:[^\\\#/*<:,()\[\]{}B]|B(?!REAK\b)|:(?!\s*[+-]?[.\d]+\s*\))|/(?![/*])|\*(?!/)|<(?!\w+:[^>]+>))+|[\s\S])
    """


@cache
def _token_re(dialect: Dialect) -> re.Pattern[str]:
    return re.compile(r"(?P<comment>" + dialect.comment + ")" + _TOKEN_REST, re.X | re.S)


@cache
def _and_or_comment_re(dialect: Dialect) -> re.Pattern[str]:
    return re.compile(dialect.comment + r"|\bAND\b")


_PAIRS = {")": "(", "]": "[", "}": "{"}


class _Mark:
    """Depth-0 separators, consumed while splitting into segments and items."""

    __slots__ = ("raw", "kind", "comma_before", "comma_after")

    def __init__(self, raw: str, kind: str) -> None:
        self.raw = raw
        self.kind = kind  # "comma" | "break" | "comment" | "bad" (marks the current item unbalanced)


def _append_text(out: list, text: str) -> None:
    if out and type(out[-1]) is Text:
        out[-1] = Text(out[-1].text + text)
    else:
        out.append(Text(text))


def _tokens_to_elements(text: str, dialect: Dialect) -> list:
    """Build nested nodes; depth-0 separators come out as ``_Mark`` objects."""
    stack: list[tuple[str, list]] = []  # (opener, children) of each open group
    top: list = []
    out = top
    troubled = False  # a closer inside the current depth-0 group had no partner

    def close(tok: str) -> list:
        nonlocal troubled
        if stack and stack[-1][0] == _PAIRS[tok]:
            opener, children = stack.pop()
            parent = stack[-1][1] if stack else top
            if opener == "(":
                parent.append(Paren(tuple(children), None, True))
            elif opener == "[":
                parent.append(Square(tuple(children), True))
            else:
                parent.append(Braces(tuple(children)))
            if not stack and troubled:
                top.append(_Mark("", "bad"))
                troubled = False
            return parent
        # No partner: literal text for the host. Crossing brackets like "([a)]" are
        # paired by kind in the host and by nesting here, so the item is marked and
        # never moved. At depth 0 nothing is open, for us or for the host (each of our
        # pops matched a closer of its own kind, which pops the host's stack of that kind
        # too), so the closer is plain text wherever the item goes: the emoticon ":)"
        # moves like any word, and never blocks its segment.
        here = stack[-1][1] if stack else top
        _append_text(here, tok)
        if stack:
            troubled = True
        return here

    for m in _token_re(dialect).finditer(text):
        kind = m.lastgroup
        tok = m.group()
        if kind == "text":
            if tok == "\\" and text.startswith("\n", m.end()):
                # A lone backslash before a line break: the host's schedule grammar has no
                # token for it (its "\\." does not match a newline), so it reads the whole
                # sub-prompt literally. The line break is kept with its item (see
                # _strip_item), which is marked (before its text, which must stay one
                # piece) and so left exactly as written.
                if stack:
                    troubled = True
                else:
                    top.append(_Mark("", "bad"))
            _append_text(out, tok)
        elif kind == "comma":
            if stack:
                _append_text(out, tok)
            else:
                out.append(_Mark(tok, "comma"))
        elif kind == "escape":
            out.append(Escape(tok[1]))
        elif kind == "network":
            out.append(Network(tok))
        elif kind == "brk":
            if stack:
                _append_text(out, tok)
            else:
                out.append(_Mark(tok, "break"))
        elif kind == "comment":
            out.append(Comment(tok) if stack else _Mark(tok, "comment"))
        elif kind == "open":
            stack.append((tok, []))
            out = stack[-1][1]
        elif kind == "weightclose":
            if stack and stack[-1][0] == "(":
                _, children = stack.pop()
                out = stack[-1][1] if stack else top
                out.append(Paren(tuple(children), tok[:-1], True))
                if not stack and troubled:
                    top.append(_Mark("", "bad"))
                    troubled = False
            else:
                _append_text(out, tok[:-1])
                out = close(")")
        else:
            out = close(tok)
    if (len(text) - len(text.rstrip("\\"))) % 2:
        # A lone trailing backslash makes the host's schedule parser fail on the whole
        # sub-prompt ("[a:b:3]" then stays literal). Anything put after it would end that,
        # so its item is treated as unbalanced: it stays last.
        top.append(_Mark("", "bad"))
    if stack:  # never closed: the host closes these at the very end
        while stack:
            opener, children = stack.pop()
            parent = stack[-1][1] if stack else top
            parent.append(_unclosed(opener, children))
        top.append(_Mark("", "bad"))
    return top


def _unclosed(opener: str, children: list) -> Node:
    if opener == "(":
        return Paren(tuple(children), None, False)
    if opener == "[":
        return Square(tuple(children), False)
    return Braces(tuple(children), False)


# A schedule's "when" field: "[a:b:0.5]", "[a:b:10]", "[a:b:1e1]" (lark's SIGNED_NUMBER).
SCHEDULE_NUMBER = re.compile(r"^\s*" + NUMBER + r"\s*$")


def _is_variable(node: object) -> bool:
    """A ``[a:b:n]`` schedule or ``[a|b]`` alternation: its text differs from step to step."""
    if type(node) is not Square:
        return False
    texts = [c.text for c in node.children if type(c) is Text]  # type: ignore[union-attr]
    if any("|" in t for t in texts):
        return True
    joined = "".join(c.text if type(c) is Text else "\0" for c in node.children)  # type: ignore[union-attr]
    pieces = joined.split(":")
    return len(pieces) in (2, 3) and "\0" not in pieces[-1] and bool(SCHEDULE_NUMBER.match(pieces[-1]))


def _is_flag(el: object) -> bool:
    return type(el) is _Mark and el.kind == "bad"  # type: ignore[union-attr]


def _is_blank(el: object) -> bool:
    return _is_flag(el) or (type(el) is Text and not el.text.strip())  # type: ignore[union-attr]


def _neighbour(elements: list, i: int, step: int, skip=_is_blank) -> object:
    """The nearest element before (step -1) or after (+1) ``i`` that ``skip`` does not pass over."""
    j = i + step
    while 0 <= j < len(elements) and skip(elements[j]):
        j += step
    return elements[j] if 0 <= j < len(elements) else None


def _resolve_marks(elements: list) -> list:
    """Decide which depth-0 BREAKs and comments really separate segments.

    * ``x [a:b:0.5]BREAK y``: at some steps the host reads ``bBREAK``, no BREAK at all;
      a BREAK glued to a schedule or alternation stays text inside its item.
    * ``smile # note\n long hair``: the host deletes the comment and reads one item
      ``smile long hair``; a comment with items on both sides and no comma stays inside
      that item. Otherwise it separates segments, and remembers where its commas were.
    """
    out = []
    for i, el in enumerate(elements):
        if type(el) is _Mark and el.kind == "break":
            before = _neighbour(elements, i, -1, _is_flag)
            after = _neighbour(elements, i, 1, _is_flag)
            if _is_variable(before) or _is_variable(after):
                out.append(Text(el.raw))
                continue
        elif type(el) is _Mark and el.kind == "comment":
            prev, nxt = _neighbour(elements, i, -1), _neighbour(elements, i, 1)
            content_before = prev is not None and type(prev) is not _Mark
            content_after = nxt is not None and type(nxt) is not _Mark
            if content_before and content_after:
                out.append(Comment(el.raw))
                continue
            el = _Mark(el.raw, "comment")
            el.comma_before = type(prev) is _Mark and prev.kind == "comma"  # type: ignore[attr-defined]
            el.comma_after = type(nxt) is _Mark and nxt.kind == "comma"  # type: ignore[attr-defined]
        out.append(el)
    return out


def _strip_item(raw: str) -> tuple[str, str]:
    """``raw`` without its trailing whitespace, and that whitespace; a lone backslash keeps
    the character after it (``\\`` + newline and ``\\`` + space read differently to the host)."""
    stripped = raw.rstrip()
    if stripped != raw and (len(stripped) - len(stripped.rstrip("\\"))) % 2:
        stripped = raw[: len(stripped) + 1]
    return stripped, raw[len(stripped) :]


def _split_segments(elements: list) -> tuple[tuple[Segment, ...], tuple[Boundary, ...]]:
    elements = _resolve_marks(elements)
    segments: list[Segment] = []
    boundaries: list[Boundary] = []
    items: list[Item] = []
    gaps: list[str] = []
    gap = ""
    cur: list[Node] = []
    bad = False

    def flush_item() -> None:
        nonlocal gap, cur, bad
        if len(cur) == 1 and type(cur[0]) is Text:  # the common case: one plain tag
            raw = cur[0].text
            stripped, trail = _strip_item(raw.lstrip())
            if stripped:
                if len(stripped) == len(raw):
                    gaps.append(gap)
                    items.append(Item(tuple(cur), not bad, raw))
                    gap = ""
                else:
                    gaps.append(gap + raw[: len(raw) - len(stripped) - len(trail)])
                    items.append(Item((Text(stripped),), not bad, stripped))
                    gap = trail
            else:
                gap += raw
            cur = []
            bad = False
            return
        nodes = [n for n in cur if not (type(n) is Text and n.text == "")]
        # Move edge whitespace into the gaps so items carry only their own text.
        lead = trail = ""
        if nodes and type(nodes[0]) is Text:
            stripped = nodes[0].text.lstrip()
            lead = nodes[0].text[: len(nodes[0].text) - len(stripped)]
            nodes[0] = Text(stripped)
            if not stripped:
                nodes.pop(0)
        if nodes and type(nodes[-1]) is Text:
            stripped, trail = _strip_item(nodes[-1].text)
            nodes[-1] = Text(stripped)
            if not stripped:
                nodes.pop()
        if nodes:
            gaps.append(gap + lead)
            items.append(Item(tuple(nodes), not bad, render_nodes(nodes)))
            gap = trail
        else:
            gap += lead + trail
        cur = []
        bad = False

    def flush_segment() -> None:
        nonlocal gap, items, gaps
        flush_item()
        segments.append(Segment(tuple(items), tuple(gaps) + (gap,)))
        items, gaps, gap = [], [], ""

    for el in elements:
        if type(el) is _Mark:
            if el.kind == "comma":
                flush_item()
                gap += el.raw
            elif el.kind == "bad":
                bad = True
            else:
                flush_segment()
                boundaries.append(
                    Boundary(el.raw, el.kind, getattr(el, "comma_before", False), getattr(el, "comma_after", False))
                )
        else:
            cur.append(el)
    flush_segment()
    return tuple(segments), tuple(boundaries)


def in_comment(text: str, pos: int, dialect: Dialect = A1111) -> bool:
    """The host strips comments before it reads a sub-prompt's weight: ``# x:0.5`` has none."""
    return any(c.start() <= pos < c.end() for c in comment_re(dialect).finditer(text))


def trailing_weight(text: str, dialect: Dialect = A1111) -> int | None:
    """Where the host's sub-prompt weight (a trailing ``:number``) starts in ``text``, or None.

    The host strips comments first, so a ``:0.5`` inside one is no weight.
    """
    m = _PART_WEIGHT.search(text)
    if m is None or in_comment(text, m.start() + m.group().index(":"), dialect):
        return None
    return m.start()


def parse_part(text: str, dialect: Dialect = A1111) -> Part:
    """One sub-prompt: segments of items, plus its trailing weight if any."""
    start = trailing_weight(text, dialect)
    weight = ""
    if start is not None:
        weight = text[start:]
        text = text[:start]
    segments, boundaries = _split_segments(_tokens_to_elements(text, dialect))
    return Part(segments, boundaries, weight)


def parse(text: str, *, split_and: bool = True, dialect: Dialect = A1111) -> Prompt:
    """Parse a prompt. ``split_and=False`` for negative prompts, where the host has no AND or part weight."""
    if not split_and:
        segments, boundaries = _split_segments(_tokens_to_elements(text, dialect))
        return Prompt((Part(segments, boundaries, ""),), ())
    parts: list[Part] = []
    seps: list[str] = []
    start = 0
    for m in _and_or_comment_re(dialect).finditer(text):
        if m.group() == "AND":
            parts.append(parse_part(text[start : m.start()], dialect))
            seps.append("AND")
            start = m.end()
    parts.append(parse_part(text[start:], dialect))
    return Prompt(tuple(parts), tuple(seps))


def host_reads_schedules(part: Part) -> bool:
    """Whether the host's schedule parser accepts this sub-prompt.

    Its grammar has no place for a ``|`` outside an ``[a|b]`` alternation, nor for a bare
    ``:`` inside an alternation's branch, nor for a lone backslash at the end or before a line
    break; then it reads
    the whole sub-prompt literally: ``[a:b:0.5]`` is plain de-emphasis. The formatter must
    then not treat brackets as schedules either.
    """
    for segment in part.segments:
        for item in segment.items:
            if not _schedules_ok(item.nodes, in_alternation=False):
                return False
    for boundary in part.boundaries:
        if "|" in boundary.raw and boundary.kind == "break":
            return False
    return not any(_LONE_BACKSLASH_NEWLINE.search(item.source) for seg in part.segments for item in seg.items)


_LONE_BACKSLASH_NEWLINE = re.compile(r"(?<!\\)(?:\\\\)*\\\n")


def _schedules_ok(nodes: tuple[Node, ...], in_alternation: bool) -> bool:
    for n in nodes:
        t = type(n)
        if t is Text:
            if "|" in n.text or (in_alternation and ":" in n.text):  # type: ignore[union-attr]
                return False
        elif t is Square:
            texts = "".join(c.text for c in n.children if type(c) is Text)  # type: ignore[union-attr]
            alternation = "|" in texts
            if alternation:
                if not all(_schedules_ok(branch, True) for branch in _branches(n.children)):  # type: ignore[union-attr]
                    return False
            elif not _schedules_ok(n.children, False):  # type: ignore[union-attr]
                return False
        elif t is Paren or t is Braces:
            if not _schedules_ok(n.children, False):  # type: ignore[union-attr]
                return False
    return True


def _branches(children: tuple[Node, ...]) -> list[tuple[Node, ...]]:
    out: list[list[Node]] = [[]]
    for c in children:
        if type(c) is Text and "|" in c.text:  # type: ignore[union-attr]
            pieces = c.text.split("|")  # type: ignore[union-attr]
            for k, piece in enumerate(pieces):
                if k:
                    out.append([])
                if piece:
                    out[-1].append(Text(piece))
        else:
            out[-1].append(c)
    return [tuple(b) for b in out]
