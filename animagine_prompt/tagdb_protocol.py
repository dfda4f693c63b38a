"""The lookup interface the engine needs from the knowledge base.

Kept apart from the knowledge base itself so the engine and its tests can run
on a tiny in-memory table while the real, indexed database is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .categories import Category


@dataclass(frozen=True)
class TagInfo:
    """A resolved tag.

    ``name`` is the canonical Danbooru spelling with spaces and *bare*
    parentheses (``firefly (honkai: star rail)``); escaping is the renderer's job.
    ``model`` is ``"4.0"``/``"3.1"`` for tags only one Animagine version knows.
    """

    name: str
    category: Category
    source: str
    model: str | None = None


class TagLookup(Protocol):
    def lookup(self, text: str) -> TagInfo | None:
        """Resolve a tag as a user types it (any case, ``_`` or spaces, ``\\(`` or ``(``)."""

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Near-miss canonical names for an unknown tag, best first."""
