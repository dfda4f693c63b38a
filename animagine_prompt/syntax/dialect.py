"""Which comments the host strips before it reads a prompt: the one place the hosts' readings part.

A1111 1.10.1 strips ``#`` to the end of the line, and only while its *Enable comments* option is
on (``enable_prompt_comments``, on by default; ``modules/processing_scripts/comments.py:5-9,20``).
reForge main always strips ``#`` and ``//`` to the end of the line, a ``/* … */`` block that starts
a line and ends one, and any other ``/*`` or ``*/`` to the end of its line (its ``comments.py:5-12``).
So ``.hack//sign`` and ``>//<`` are text on A1111 and comments on reForge, and a formatter that
guesses wrong either cuts a tag or lets added text be commented out: the caller says which host
reads the prompt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Dialect:
    name: str
    title: str
    comment: str  # the regex of one comment, as the host's strip_comments removes it
    repeat_weights: bool = False  # reForge's "(a:x2.5)": the group repeated, its last copy weighted


A1111 = Dialect("a1111", "A1111: # comments", r"\#[^\n]*")
REFORGE = Dialect(
    "reforge",
    "reForge: #, // and /* */ comments",
    r"(?m:^)/\*(?s:.*?)\*/(?=\n|\Z)|\#[^\n]*|//[^\n]*|/\*[^\n]*|\*/[^\n]*",
    repeat_weights=True,
)
PLAIN = Dialect("plain", "no comments (A1111 with Enable comments off)", r"(?!)")

DIALECTS: dict[str, Dialect] = {d.name: d for d in (A1111, REFORGE, PLAIN)}


def get_dialect(name: str | Dialect) -> Dialect:
    """The dialect called ``name`` (any case); a ValueError that lists the names otherwise."""
    if isinstance(name, Dialect):
        return name
    found = DIALECTS.get(str(name).strip().lower())
    if found is None:
        raise ValueError(f"unknown dialect {name!r}: one of {', '.join(DIALECTS)}")
    return found


@cache
def comment_re(dialect: Dialect) -> re.Pattern[str]:
    return re.compile(dialect.comment)


def has_comment(text: str, dialect: Dialect) -> bool:
    return comment_re(dialect).search(text) is not None
