"""CLIP's byte-pair encoding, to count a prompt's tokens the way the text encoder splits it.

The host counts with the model's own tokenizer; without a host, the same merge table
ships inside packages the WebUIs already install (``open_clip``'s and OpenAI ``clip``'s
``bpe_simple_vocab_16e6.txt.gz``, 49,152 merges). Those packages import torch, so the
file is found without importing them (``importlib.util.find_spec`` of a top-level name
runs none of its code) and read here; no file, no counter, and the caller estimates.
The algorithm is CLIP's published one (lower-case, pre-split into words, digits and
punctuation runs, then merge the lowest-ranked adjacent pair until none applies); only
the count is needed, so pieces are never mapped to ids.
"""

from __future__ import annotations

import gzip
import html
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

VOCAB_FILE = "bpe_simple_vocab_16e6.txt.gz"
_MERGES = 49152 - 256 - 2  # the table's first line is a header; CLIP uses this many merges
_PACKAGES = ("open_clip", "clip")

# CLIP's pre-tokenizer: contractions, letter runs, single digits, runs of anything else that is
# not a space. ``[^\W\d_]`` is "a letter" and ``\d`` "a digit" in Python's re.
_WORDS = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|(?:[^\s\w]|_)+", re.IGNORECASE)


def _byte_symbols() -> dict[int, str]:
    """CLIP's reversible byte → printable character map (bytes that print stay themselves)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), 256))
    chars = keep[:]
    extra = 0
    for b in range(256):
        if b not in keep:
            keep.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(keep, chars)}


_BYTES = _byte_symbols()


class ClipBPE:
    """Counts CLIP tokens of a text (no start/end tokens), with a per-word memo."""

    def __init__(self, merges: list[tuple[str, str]]) -> None:
        self._ranks = {pair: rank for rank, pair in enumerate(merges)}
        self._pieces = lru_cache(maxsize=65536)(self._word_pieces)

    @classmethod
    def from_file(cls, path: Path) -> ClipBPE:
        lines = gzip.decompress(path.read_bytes()).decode("utf-8").split("\n")[1 : _MERGES + 1]
        return cls([tuple(line.split()) for line in lines if line.count(" ") == 1])  # type: ignore[misc]

    def count(self, text: str) -> int:
        text = re.sub(r"\s+", " ", html.unescape(html.unescape(text))).strip().lower()
        return sum(self._pieces("".join(_BYTES[b] for b in word.encode("utf-8"))) for word in _WORDS.findall(text))

    def _word_pieces(self, word: str) -> int:
        parts = list(word[:-1]) + [word[-1] + "</w>"]
        ranks = self._ranks
        while len(parts) > 1:
            best = None
            for pair in zip(parts, parts[1:]):
                rank = ranks.get(pair)
                if rank is not None and (best is None or rank < best[0]):
                    best = (rank, pair)
            if best is None:
                break
            first, second = best[1]
            merged: list[str] = []
            i = 0
            while i < len(parts):
                if i + 1 < len(parts) and parts[i] == first and parts[i + 1] == second:
                    merged.append(first + second)
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        return len(parts)


def find_vocab() -> Path | None:
    """The merge table of an installed ``open_clip`` or ``clip`` package, without importing it."""
    for name in _PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        for location in (spec.submodule_search_locations or []) if spec is not None else []:
            path = Path(location) / VOCAB_FILE
            if path.is_file():
                return path
    return None


@lru_cache(maxsize=1)
def default_counter() -> ClipBPE | None:
    """The installed vocabulary's counter, read once; None where no package ships one (or it is unreadable)."""
    path = find_vocab()
    if path is None:
        return None
    try:
        return ClipBPE.from_file(path)
    except (OSError, EOFError, UnicodeDecodeError, ValueError):
        return None
