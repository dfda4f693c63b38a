"""reForge's repeat weights, and the one shape of them whose effect is not local.

reForge reads ``(a, b:x2.5)`` as two copies of ``a, b`` with the last at 1.5
(``parse_prompt_attention``, reForge main ``modules/prompt_parser.py:454-466``; A1111 reads
``:x2.5`` as text). The tail weight goes to the copied range's last ``len(range)`` entries
of the text read so far, so when the group holds no text at all (``(:x2)``, ``((:3):x2.5)``)
that is ``res[-0:]``, every entry before it in its ``AND`` part, BREAKs included. An item
like that weights everything written before it: moving, adding or dropping anything before
it changes the prompt.
"""

from __future__ import annotations

import re

from .dialect import Dialect

# The host's attention tokens, in its order: escapes, a lone backslash, openers, a weighted
# closer, plain closers, text, a lone colon.
_TOKEN = re.compile(
    r"(?P<esc>\\[()\[\]\\])|(?P<lone>\\)|(?P<open>\()|(?P<square>\[)"
    r"|:\s*(?P<weight>x?[+-]?[.\d]+)\s*\)|(?P<close>[)\]])|[^\\()\[\]:]+|:"
)


def weights_all_before(text: str, dialect: Dialect) -> bool:
    """Whether ``text`` holds a repeat-weighted group with no text in it, for a host that has them.

    Read as the host reads one item: a ``(`` records how much text came before it, a weighted
    closer takes the latest one. Text inside ``[...]`` does not count: a schedule or an
    alternation (``([a:0.5]:x2.5)``) can leave the group empty at some steps. A weighted
    closer with no ``(`` of its own in ``text`` pairs with one opened earlier in the prompt,
    which cannot be seen from here: it counts as one too.
    """
    if not dialect.repeat_weights or ":" not in text or "x" not in text:
        return False
    opens: list[int] = []
    seen = 0  # text tokens so far that are there at every step
    squares = 0  # inside "[...]": a schedule or alternation may hold no text at some step
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "square":
            squares += 1
        elif kind == "close" and m.group(0) == "]" and squares:
            squares -= 1
        elif kind == "open":
            opens.append(seen)
        elif kind == "weight":
            if not opens:
                if m.group("weight").startswith("x"):
                    return True
                seen += 0 if squares else 1  # no group to close: the host takes it as text
                continue
            start = opens.pop()
            if m.group("weight").startswith("x") and start == seen:
                return True
        elif kind == "close" and m.group(0) == ")" and opens:
            opens.pop()
        elif kind == "close":
            continue  # a stray closer: text to the host, not counted (counting less only pins more)
        elif not squares:
            seen += 1
    return False
