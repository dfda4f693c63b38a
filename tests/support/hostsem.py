"""A reference model of what the WebUI computes from a prompt (test support only).

Why it exists: the formatter rewrites prompts, and the only definition of
"the rewrite kept the meaning" that matters is *what the host does with the
text*. This module re-implements, from the behaviour documented in the hosts'
``modules/prompt_parser.py`` (A1111 1.10.1 and reForge main), ``extra_networks.py``
and ``processing_scripts/comments.py``, the stages the host runs before the text
reaches CLIP:

1. comments are stripped (``#`` to the end of the line; reForge also ``//`` and ``/* */``);
2. extra networks ``<name:arg:arg>`` are removed and collected;
3. ``AND`` splits the prompt into sub-prompts, each with an optional trailing ``:weight``;
4. ``[from:to:when]`` schedules and ``[a|b]`` alternation give one text per sampling step;
5. each step's text becomes attention-weighted fragments ``[(text, weight)]``:
   ``(x)`` ×1.1, ``[x]`` ÷1.1, ``(x:w)`` ×w, ``\\(`` literal, unclosed brackets closed at
   the end, ``BREAK`` as the marker fragment ``("BREAK", -1)``.

It is written independently (no host code is copied) and is validated against the
host's own doctest cases in ``tests/syntax/test_host_doctests.py``. It is a plain
recursive-descent reading of the schedule grammar, ~100x faster than the host's
Earley parser, so property tests can afford thousands of examples.

Where the host itself would crash (``(a:1.2.3)`` makes ``float()`` fail,
``[a:1e999]`` overflows), :class:`HostError` is raised: such a prompt has no meaning
to preserve, and tests treat it separately.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "A1111",
    "REFORGE",
    "BREAK",
    "Dialect",
    "HostAmbiguous",
    "HostError",
    "HostView",
    "attention",
    "host_view",
    "schedule",
    "split_and",
    "strip_comments",
    "strip_extra_networks",
]

#: The fragment the host emits for ``BREAK``; only this exact pair starts a new chunk.
BREAK = ("BREAK", -1.0)


class HostError(ValueError):
    """The host itself raises on this prompt (so generation would fail there too)."""


class HostAmbiguous(HostError):
    """The host's reading of this prompt is not fixed: it changes from one WebUI process to the next.

    The schedule grammar (``modules/prompt_parser.py:17``, A1111 1.10.1 and reForge main:
    ``!start: (prompt | /[][():]/+)*``) lets a stray ``]``, ``)``, ``(``, ``[`` or ``:`` that
    directly follows a ``]``, or the ``)`` of a group that holds a schedule, be lexed together
    with it, so ``[a:0.5]:x`` and ``([a:b:0.5]):x`` have two parses, one with the schedule and
    one without (the second form was found by the differential tier, tests/hostparser, in
    negative prompts: two readings under seeds 0-7 on A1111; ``(b):x [a:0.5]`` has one).
    lark 1.1.2's Earley parser (A1111 1.10.1 pins it) picks
    one by set order, which follows ``PYTHONHASHSEED``: the same text is scheduled under some
    seeds and not under others. reForge's lark 1.2.2 schedules ``[a:0.5]:x`` under every seed
    tried (0-7) but not ``[a:b:0.5]):0.5``: which parse it takes was not pinned down. Such a
    prompt has no meaning to keep, on either host.
    """


@dataclass(frozen=True)
class Dialect:
    """The few places where the two supported hosts read a prompt differently."""

    name: str
    reforge_comments: bool  # also ``//`` and ``/* */`` comments
    repeat_weights: bool  # reForge's ``(a:x2.5)``: repeat the group, weight the tail
    merge_tolerance: float  # adjacent fragments merge when weights differ by less than this
    comments_enabled: bool = True  # the "Enable comments" setting (on by default in both)
    # lark picks between the two parses of "[a:0.5]:" by hash seed (A1111) or by a rule not
    # pinned down here (reForge). See HostAmbiguous.
    stray_after_bracket_varies: bool = True


A1111 = Dialect("a1111", reforge_comments=False, repeat_weights=False, merge_tolerance=0.0)
REFORGE = Dialect("reforge", reforge_comments=True, repeat_weights=True, merge_tolerance=1e-4)
# A1111 with its "Enable comments" option off: "#" is text too.
PLAIN = Dialect("plain", reforge_comments=False, repeat_weights=False, merge_tolerance=0.0, comments_enabled=False)
DIALECTS = {d.name: d for d in (A1111, REFORGE, PLAIN)}


# --- stage 1: comments -------------------------------------------------------------------

_HASH_COMMENT = re.compile(r"#[^\n]*(?:\n|\Z)")
# A1111 first removes comments that fill a whole line together with the line break before them.
_HASH_LINE = re.compile(r"(?:\A|\n)#[^\n]*(?:\n|\Z)")
_SLASH_COMMENT = re.compile(r"//[^\n]*(?:\n|\Z)")
_BLOCK_AT_LINE_START = re.compile(r"^/\*.*?\*/(?:\n|\Z)", re.M | re.S)
_DANGLING_BLOCK = re.compile(r"(?:/\*|\*/)[^\n]*(?:\n|\Z)")


def strip_comments(text: str, dialect: Dialect = A1111) -> str:
    """Remove what the host's comment pass removes: each comment up to and including its newline
    becomes one newline; on A1111 a comment that is a whole line takes the line break before it too
    (newlines are whitespace to CLIP, but they are text in the step the host hands to it)."""
    if not dialect.comments_enabled:
        return text
    if dialect.reforge_comments:
        text = _BLOCK_AT_LINE_START.sub("\n", text)
        text = _HASH_COMMENT.sub("\n", text)
        text = _SLASH_COMMENT.sub("\n", text)
        return _DANGLING_BLOCK.sub("\n", text)
    return _HASH_COMMENT.sub("\n", _HASH_LINE.sub("\n", text))


# --- stage 2: extra networks ---------------------------------------------------------------

_EXTRA_NETWORK = re.compile(r"<(\w+):([^>]+)>")


def strip_extra_networks(text: str) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """``<lora:name:0.8>`` → removed from the text, recorded as ``("lora", ("name", "0.8"))``."""
    found: list[tuple[str, tuple[str, ...]]] = []

    def _take(m: re.Match[str]) -> str:
        found.append((m.group(1), tuple(m.group(2).split(":"))))
        return ""

    return _EXTRA_NETWORK.sub(_take, text), tuple(found)


# --- stage 3: AND ------------------------------------------------------------------------------

_AND = re.compile(r"\bAND\b")
_PART_WEIGHT = re.compile(r"\s*:\s*([-+]?(?:\d+\.?|\d*\.\d+))\s*\Z")
_TRAILING_SPACE = re.compile(r"\s*\Z")


def split_and(text: str) -> list[tuple[str, float]]:
    """Sub-prompts and their weights. ``AND`` splits at any bracket depth; a sub-prompt that ends
    in ``:number`` (even without any ``AND``) has that number as its weight and loses it from its text."""
    parts = []
    for sub in _AND.split(text):
        m = _PART_WEIGHT.search(sub)
        if m is not None:
            parts.append((sub[: m.start()], float(m.group(1))))
        else:
            parts.append((sub[: _TRAILING_SPACE.search(sub).start()], 1.0))  # type: ignore[union-attr]
    return parts


# --- stage 4: schedules and alternation ----------------------------------------------------------
#
# Grammar the host accepts (its schedule parser; any other string is used verbatim, unscheduled):
#
#   text      := (elements | stray)*              stray: one of  [ ] ( ) :   (only at the top)
#   elements  := (plain | group | schedule | alternation)*
#   plain     := ( any char but \ [ ] ( ) : |   |   \ followed by a non-newline char )+
#   group     := "(" elements ")" | "(" elements ":" elements ")" | "[" elements "]"
#   schedule  := "[" (elements ":")? elements ":" ws? NUMBER ws? "]"
#   alternation := "[" elements ("|" elements)+ "]"
#
# A `|` outside an alternation, or a `\` at the end or before a newline, makes the whole
# string unparseable, and the host then uses it unscheduled. Nested inside a group, every
# bracket must form a construct; at the top a bracket that cannot is kept as a stray character.

_NUMBER_CLOSE = re.compile(r"\s*([+-]?(?:(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?))\s*\]")
_PLAIN_STOP = frozenset("\\[]():|")


@dataclass(frozen=True)
class _Sched:
    before: tuple | None
    after: tuple
    when: str


@dataclass(frozen=True)
class _Alt:
    options: tuple


class _Unparseable(Exception):
    pass


def _elements(s: str, i: int) -> tuple[list, int]:
    """Parse ``elements`` from ``i``; stop before the first character that cannot continue them."""
    out: list = []
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            if i + 1 < n and s[i + 1] != "\n":
                out.append(s[i : i + 2])
                i += 2
                continue
            return out, i
        if c not in _PLAIN_STOP:
            j = i + 1
            while j < n and s[j] not in _PLAIN_STOP:
                j += 1
            out.append(s[i:j])
            i = j
            continue
        if c == "(":
            got = _paren(s, i)
        elif c == "[":
            got = _square(s, i)
        else:
            return out, i
        if got is None:
            return out, i
        out.extend(got[0])
        i = got[1]
    return out, i


def _paren(s: str, i: int) -> tuple[list, int] | None:
    first, j = _elements(s, i + 1)
    if j < len(s) and s[j] == ")":
        return ["(", *first, ")"], j + 1
    if j < len(s) and s[j] == ":":
        second, k = _elements(s, j + 1)
        if k < len(s) and s[k] == ")":
            return ["(", *first, ":", *second, ")"], k + 1
    return None


def _square(s: str, i: int) -> tuple[list, int] | None:
    n = len(s)
    first, j = _elements(s, i + 1)
    if j >= n:
        return None
    c = s[j]
    if c == "]":
        return ["[", *first, "]"], j + 1
    if c == "|":
        options = [tuple(first)]
        while j < n and s[j] == "|":
            opt, j = _elements(s, j + 1)
            options.append(tuple(opt))
        if j < n and s[j] == "]":
            return [_Alt(tuple(options))], j + 1
        return None
    if c == ":":
        m = _NUMBER_CLOSE.match(s, j + 1)
        if m is not None:
            return [_Sched(None, tuple(first), m.group(1))], m.end()
        second, k = _elements(s, j + 1)
        if k < n and s[k] == ":":
            m = _NUMBER_CLOSE.match(s, k + 1)
            if m is not None:
                return [_Sched(tuple(first), tuple(second), m.group(1))], m.end()
    return None


def _parse_schedule(s: str, stray_varies: bool = False) -> list:
    out: list = []
    ambiguous = None
    i, n = 0, len(s)
    while i < n:
        got, i = _elements(s, i)
        out.extend(got)
        if i < n:
            if s[i] in "|\\":
                raise _Unparseable  # decided: no parse at all, whatever came before
            if ambiguous is None and got and (s[i - 1] == "]" or _closes_a_schedule(got)):
                ambiguous = i
            out.append(s[i])  # a stray bracket or colon, kept verbatim
            i += 1
    if stray_varies and ambiguous is not None and any(isinstance(node, (_Sched, _Alt)) for node in out):
        raise HostAmbiguous(f"a stray {s[ambiguous]!r} right after a closing bracket at {ambiguous}: "
                            "the host's parse varies")
    return out


def _closes_a_schedule(got: list) -> bool:
    """``got`` ends with a ``)`` whose group holds a schedule or alternation: ``([a:b:0.5])``."""
    if not got or got[-1] != ")":
        return False
    depth = 0
    for k in range(len(got) - 1, -1, -1):
        node = got[k]
        if node == ")":
            depth += 1
        elif node == "(":
            depth -= 1
            if depth == 0:
                return any(isinstance(n, (_Sched, _Alt)) for n in got[k:])
    return False


def _walk(nodes, visit) -> None:
    for node in nodes:
        if isinstance(node, _Sched):
            visit(node)
            if node.before is not None:
                _walk(node.before, visit)
            _walk(node.after, visit)
        elif isinstance(node, _Alt):
            visit(node)
            for opt in node.options:
                _walk(opt, visit)


def _render_at(nodes, step: int, whens: dict[int, int], out: list[str], respell) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
            continue
        if isinstance(node, _Sched):
            branch = (node.before or ()) if step <= whens[id(node)] else node.after
        else:
            branch = node.options[(step - 1) % len(node.options)]
        if respell is None:
            _render_at(branch, step, whens, out, respell)
        else:
            inner: list[str] = []
            _render_at(branch, step, whens, inner, respell)
            out.append(respell("".join(inner)))


def schedule(
    text: str,
    steps: int,
    hires_steps: int | None = None,
    respell: Callable[[str], str] | None = None,
    dialect: Dialect = REFORGE,
) -> list[tuple[int, str]]:
    """``[(last_step, text)]`` as the host's prompt scheduler gives them, for ``steps`` sampling steps.

    An integer ``when`` is a step number; one with a ``.`` is a fraction of the steps. With
    ``hires_steps``, the schedule is the one for the hires pass: integers count from the end of the
    first pass and fractions above 1 point into the hires pass.

    ``respell`` (for comparison keys, not host behaviour) rewrites the text each schedule or
    alternation branch contributes, e.g. to a tag's canonical spelling.
    """
    try:
        nodes = _parse_schedule(text, dialect.stray_after_bracket_varies)
    except (_Unparseable, RecursionError):
        return [(steps if hires_steps is None else hires_steps, text)]
    if hires_steps is None:
        int_offset, frac_offset, total = 0, 0.0, steps
    else:
        int_offset, frac_offset, total = steps, 1.0, hires_steps
    whens: dict[int, int] = {}
    boundaries = {total}

    def visit(node) -> None:
        if isinstance(node, _Alt):
            boundaries.update(range(1, total + 1))
            return
        value = float(node.when)
        value = (value - frac_offset) * total if "." in node.when else value - int_offset
        try:
            when = min(total, int(value))
        except (OverflowError, ValueError) as exc:
            raise HostError(f"schedule step {node.when!r} overflows") from exc
        whens[id(node)] = when
        if when >= 1:
            boundaries.add(when)

    _walk(nodes, visit)
    result = []
    for step in sorted(boundaries):
        out: list[str] = []
        _render_at(nodes, step, whens, out, respell)
        result.append((step, "".join(out)))
    return result


# --- stage 5: attention ------------------------------------------------------------------------------

_ATTENTION_A1111 = re.compile(
    r"(?P<esc>\\[()\[\]\\])|(?P<lone>\\)|(?P<open>[(\[])|:\s*(?P<w>[+-]?[.\d]+)\s*\)|(?P<close>[)\]])"
    r"|(?P<text>[^\\()\[\]:]+)|(?P<colon>:)"
)
_ATTENTION_REFORGE = re.compile(
    r"(?P<esc>\\[()\[\]\\])|(?P<lone>\\)|(?P<open>[(\[])|:\s*(?P<w>x?[+-]?[.\d]+)\s*\)|(?P<close>[)\]])"
    r"|(?P<text>[^\\()\[\]:]+)|(?P<colon>:)"
)
_BREAK_SPLIT = re.compile(r"\s*\bBREAK\b\s*", re.S)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise HostError(f"emphasis weight {text!r} is not a number") from exc


def attention(text: str, dialect: Dialect = A1111) -> list[tuple[str, float]]:
    """The attention-weighted fragments of one step's text, adjacent equal weights merged."""
    res: list[list] = []
    rounds: list[int] = []
    squares: list[int] = []

    def scale(start: int, factor: float) -> None:
        for frag in res[start:]:
            frag[1] *= factor

    pattern = _ATTENTION_REFORGE if dialect.repeat_weights else _ATTENTION_A1111
    for m in pattern.finditer(text):
        kind = m.lastgroup
        tok = m.group(0)
        if kind == "esc":
            res.append([tok[1], 1.0])
        elif kind == "lone":
            res.append(["", 1.0])
        elif kind == "open":
            (rounds if tok == "(" else squares).append(len(res))
        elif m.group("w") is not None and rounds:
            w = m.group("w")
            if w.startswith("x"):
                _repeat(res, rounds.pop(), _number(w[1:]))
            else:
                scale(rounds.pop(), _number(w))
        elif tok == ")" and rounds:
            scale(rounds.pop(), 1.1)
        elif tok == "]" and squares:
            scale(squares.pop(), 1 / 1.1)
        else:
            for k, piece in enumerate(_BREAK_SPLIT.split(tok)):
                if k:
                    res.append(list(BREAK))
                res.append([piece, 1.0])
    for start in rounds:
        scale(start, 1.1)
    for start in squares:
        scale(start, 1 / 1.1)
    if not res:
        return [("", 1.0)]
    merged = [res[0]]
    for frag in res[1:]:
        last = merged[-1]
        same = last[1] == frag[1] if dialect.merge_tolerance == 0 else abs(frag[1] - last[1]) < dialect.merge_tolerance
        if same:
            last[0] += frag[0]
        else:
            merged.append(frag)
    return [(t, w) for t, w in merged]


def _repeat(res: list[list], start: int, value: float) -> None:
    """reForge's ``(group:xN.f)``: N copies of the group, the last one weighted by the fraction."""
    segment = res[start:]
    size = abs(value)
    copies = max(1, int(size))
    tail = (size % 1) + (size >= 1)
    res[start:] = [[t, w] for _ in range(copies) for t, w in segment]
    if tail > 1e-4:
        # like the host, an empty group scales everything (a negative zero-length slice is the whole list)
        for frag in res[-len(segment) :]:
            frag[1] *= tail
    if value < 0:
        for frag in res[start:]:
            frag[1] *= -1.0


# --- all stages -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HostView:
    """Everything the host derives from a positive prompt for one generation.

    ``parts``: one entry per ``AND`` sub-prompt: ``(weight, ((last_step, fragments), ...))``.
    """

    networks: tuple[tuple[str, tuple[str, ...]], ...]
    parts: tuple[tuple[float, tuple[tuple[int, tuple[tuple[str, float], ...]], ...]], ...]


def host_view(
    prompt: str,
    steps: int = 28,
    *,
    hires_steps: int | None = None,
    dialect: Dialect = A1111,
    negative: bool = False,
    respell: Callable[[str], str] | None = None,
) -> HostView:
    """Run every stage. A negative prompt has no ``AND`` (the host conditions it as one text).

    ``respell`` is passed to :func:`schedule` (comparison keys only)."""
    text = strip_comments(prompt, dialect)
    text, networks = strip_extra_networks(text)
    parts = [(text, 1.0)] if negative else split_and(text)
    out = []
    for sub, weight in parts:
        cache: dict[str, tuple[tuple[str, float], ...]] = {}
        steps_out = []
        for last_step, step_text in schedule(sub, steps, hires_steps, respell, dialect):
            frags = cache.get(step_text)
            if frags is None:
                frags = cache[step_text] = tuple(attention(step_text, dialect))
            steps_out.append((last_step, frags))
        out.append((weight, tuple(steps_out)))
    return HostView(networks, tuple(out))
