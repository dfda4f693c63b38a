"""The vocabulary every layer shares: what a top-level prompt item *is*."""

from __future__ import annotations

from enum import Enum


class Category(str, Enum):
    """Kinds of tag the Animagine template orders by.

    Values are the strings used in JSON output and in ``tags/*.csv`` files, so
    they are part of the public interface: never rename one.
    """

    PEOPLE = "people"
    CHARACTER = "character"
    COPYRIGHT = "copyright"
    ARTIST = "artist"
    RATING = "rating"
    GENERAL = "general"
    META = "meta"
    YEAR = "year"
    QUALITY = "quality"
    SCORE = "score"
    NETWORK = "network"
    WILDCARD = "wildcard"

    @classmethod
    def parse(cls, text: str) -> Category:
        """Accept a category name as a user writes it in an overrides file."""
        key = text.strip().lower()
        key = _ALIASES.get(key, key)
        return cls(key)


_ALIASES = {
    "series": "copyright",
    "franchise": "copyright",
    "char": "character",
    "count": "people",
    "era": "year",
    "aesthetic": "quality",
    "lora": "network",
}

#: Categories the knowledge base can answer (the rest come from syntax).
TAG_CATEGORIES = frozenset(c for c in Category if c not in (Category.NETWORK, Category.WILDCARD))
