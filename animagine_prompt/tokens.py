"""Where a prompt's 75-token chunks fall.

CLIP reads a prompt in chunks of 75 tokens; a tag cut by a chunk boundary
loses its meaning, which is why the host moves the text after the last comma
into the next chunk when that comma is near the end. So the useful report is
per tag: which tag opens each chunk. The host's tokenizer (WebUI with a model
loaded) gives real counts; without it, :func:`approximate_tokens` estimates
and the report says so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

CHUNK = 75

# CLIP's BPE keeps most lowercase English words under ~8 letters whole, splits longer
# ones, and gives every punctuation mark and digit a token of its own.
_PIECE = re.compile(r"[^\W\d_]+|\d|[^\w\s]")


def approximate_tokens(text: str) -> int:
    """A tokenizer-free estimate of CLIP's token count (no BOS/EOS), good to a few tokens per chunk."""
    count = 0
    for piece in _PIECE.findall(text):
        count += 1 if len(piece) <= 7 or not piece.isalpha() else math.ceil(len(piece) / 6)
    return count


@dataclass(frozen=True)
class ChunkReport:
    """``chunks``: tokens in each chunk; ``starts``: index of the item that opens each chunk.

    ``total`` is what the host's counter shows: every chunk but the last counts as 75.
    """

    total: int
    chunks: tuple[int, ...]
    starts: tuple[int, ...]
    approximate: bool

    @property
    def limit(self) -> int:
        """The host's "N/limit" denominator."""
        return max(1, len(self.chunks)) * CHUNK


def chunk_report(items: Sequence[str], count: Callable[[str], int], *, approximate: bool) -> ChunkReport:
    """Which item opens each 75-token chunk, and how full each chunk is.

    With the host's counter (``approximate=False``) the count of each prefix of
    the prompt already includes the host's comma backtracking, ``BREAK`` padding
    and full-chunk rounding, so a chunk starts wherever that count enters a new
    multiple of 75. With the estimate, the host's behaviour is simulated: whole
    items fill a chunk until the next one would not fit, and ``BREAK`` closes it.
    """
    if not approximate:
        return _from_host_counts(items, count)
    chunks: list[int] = []
    starts: list[int] = []
    current = 0
    previous = 0
    for index, item in enumerate(items):
        if item == "BREAK":
            if current:
                chunks.append(current)
                current = 0
            continue
        total = count(", ".join(i for i in items[: index + 1] if i != "BREAK"))
        cost = max(0, total - previous)
        previous = total
        if current and current + cost > CHUNK:
            chunks.append(current)
            current = 0
        if len(starts) == len(chunks):  # the open chunk has no first item yet
            starts.append(index)
        current += cost
    if current or not chunks:
        chunks.append(current)
    total = CHUNK * (len(chunks) - 1) + chunks[-1]  # the host counts every chunk but the last as full
    return ChunkReport(total=total, chunks=tuple(chunks), starts=tuple(starts), approximate=True)


def _from_host_counts(items: Sequence[str], count: Callable[[str], int]) -> ChunkReport:
    starts: list[int] = []
    chunk_of_last = -1
    total = 0
    for index in range(len(items)):
        total = count(", ".join(items[: index + 1]))
        chunk = max(0, total - 1) // CHUNK
        if chunk > chunk_of_last and items[index] != "BREAK":
            starts.append(index)
            chunk_of_last = chunk
    n = max(1, math.ceil(total / CHUNK))
    chunks = (CHUNK,) * (n - 1) + (total - CHUNK * (n - 1),)
    return ChunkReport(total=total, chunks=chunks, starts=tuple(starts), approximate=False)
