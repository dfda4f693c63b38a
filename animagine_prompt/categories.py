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

    @property
    def word(self) -> str:
        """What a person reads for this category (``copyright`` is "series"); see :data:`CATEGORY_WORDS`."""
        return CATEGORY_WORDS[self]

    @classmethod
    def parse(cls, text: str) -> Category:
        """Accept a category name as a user writes it in an overrides file (also the word the UI shows)."""
        key = " ".join(text.strip().lower().split())
        key = _ALIASES.get(key, key)
        return cls(key)


#: The one table of plain words for categories, for everything a person reads (the tab's chips, legend
#: and lookups). The values above stay the machine-readable names (JSON, ``tags/*.csv``).
CATEGORY_WORDS: dict[Category, str] = {
    Category.PEOPLE: "people",
    Category.CHARACTER: "character",
    Category.COPYRIGHT: "series",
    Category.ARTIST: "artist",
    Category.RATING: "rating",
    Category.GENERAL: "general",
    Category.META: "image info",
    Category.YEAR: "year",
    Category.QUALITY: "quality",
    Category.SCORE: "score",
    Category.NETWORK: "LoRA",
    Category.WILDCARD: "wildcard",
}

_ALIASES = {
    **{word.lower(): c.value for c, word in CATEGORY_WORDS.items() if word.lower() != c.value},
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
