r"""Whether a bracket group is a construct the host's schedule parser reads.

The host (A1111 ``modules/prompt_parser.py:19-30``, reForge the same) parses a sub-prompt with

    start       := (prompt | /[][():]/+)*
    prompt      := (emphasized | scheduled | alternate | plain | WHITESPACE)*
    emphasized  := "(" prompt ")" | "(" prompt ":" prompt ")" | "[" prompt "]"
    scheduled   := "[" (prompt ":")? prompt ":" WHITESPACE? NUMBER WHITESPACE? "]"
    alternate   := "[" prompt ("|" prompt?)+ "]"
    plain       := /([^\\\[\]():|]|\\.)+/

so a ``[`` at the top that cannot open one whole construct (``[a:[:d]:0.5]``: its inner
``[:d]`` is none) is a stray character, and its ``:`` fields are no schedule at all. The tree
of :mod:`.parse` pairs brackets by appearance; this decides, from the group's source, whether
the host pairs them the same way. ``NUMBER`` is lark's ``SIGNED_NUMBER``: signs, decimals and
exponents (``1e1``).
"""

from __future__ import annotations

import re

NUMBER = r"[+-]?(?:(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)"
_NUMBER_CLOSE = re.compile(r"\s*" + NUMBER + r"\s*\]")
_PLAIN_STOP = frozenset("\\[]():|")


def reads_as_construct(source: str) -> bool:
    """``source`` (starting with ``[`` or ``(``) is exactly one construct of the host's grammar."""
    if not source or source[0] not in "([":
        return False
    end = _paren(source, 0) if source[0] == "(" else _square(source, 0)
    return end == len(source)


def _elements(s: str, i: int) -> int:
    """The index where ``prompt`` starting at ``i`` stops (the first character it cannot take)."""
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            if i + 1 < n and s[i + 1] != "\n":
                i += 2
                continue
            return i
        if c not in _PLAIN_STOP:
            i += 1
            continue
        end = _paren(s, i) if c == "(" else _square(s, i) if c == "[" else None
        if end is None:
            return i
        i = end
    return i


def _paren(s: str, i: int) -> int | None:
    j = _elements(s, i + 1)
    if j < len(s) and s[j] == ")":
        return j + 1
    if j < len(s) and s[j] == ":":
        k = _elements(s, j + 1)
        if k < len(s) and s[k] == ")":
            return k + 1
    return None


def _square(s: str, i: int) -> int | None:
    n = len(s)
    j = _elements(s, i + 1)
    if j >= n:
        return None
    if s[j] == "]":
        return j + 1
    if s[j] == "|":
        while j < n and s[j] == "|":
            j = _elements(s, j + 1)
        return j + 1 if j < n and s[j] == "]" else None
    if s[j] == ":":
        m = _NUMBER_CLOSE.match(s, j + 1)
        if m is not None:
            return m.end()
        k = _elements(s, j + 1)
        if k < n and s[k] == ":":
            m = _NUMBER_CLOSE.match(s, k + 1)
            if m is not None:
                return m.end()
    return None
