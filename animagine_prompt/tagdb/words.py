"""The words Danbooru's general tags are made of, to tell a typo from a phrase of real words.

``smlie`` holds a word no tag uses, so a near tag (``smile``) is worth suggesting;
``glass tube`` and ``dark theme`` are real words that happen to make no tag, and the
nearest tags (``glass table``, ``dark theta``) would be noise. Read from the bundled
general-tag snapshot (names and aliases) on first use, a few tens of milliseconds.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from functools import lru_cache
from pathlib import Path

_SPLIT = re.compile(r"[\s_]+")
_EDGES = ".,!?:;()[]{}\"'"


def split_words(text: str) -> list[str]:
    """Lower-case words of a tag or of what a user typed, without edge punctuation."""
    return [w for w in (part.strip(_EDGES) for part in _SPLIT.split(text.lower())) if w]


@lru_cache(maxsize=4)
def general_words(path: Path) -> frozenset[str]:
    """Every word of every name and alias in a ``name,category,count,"aliases"`` gzip CSV."""
    words: set[str] = set()
    try:
        with gzip.open(path, "rb") as raw:
            for row in csv.reader(io.TextIOWrapper(raw, encoding="utf-8")):
                if not row:
                    continue
                words.update(split_words(row[0]))
                if len(row) > 3 and row[3]:
                    for alias in row[3].split(","):
                        words.update(split_words(alias))
    except (OSError, EOFError, csv.Error, UnicodeDecodeError):
        return frozenset()
    return frozenset(words)
