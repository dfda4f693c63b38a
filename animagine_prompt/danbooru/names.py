"""Spelling conversions between what users type, our canonical form and Danbooru's names.

Built on the knowledge base's :func:`normalize_key` so that a tag the cache
stores is found under exactly the key the knowledge base asks for.
"""

from __future__ import annotations

from ..categories import Category
from ..tagdb.keys import canonical_name, normalize_key

#: Danbooru's category ids, as the knowledge base's categories.
CATEGORY_BY_ID: dict[int, Category] = {
    0: Category.GENERAL,
    1: Category.ARTIST,
    3: Category.COPYRIGHT,
    4: Category.CHARACTER,
    5: Category.META,
}


def to_danbooru(text: str) -> str:
    """The Danbooru name for a tag as typed: ``Firefly \\(Honkai: Star Rail\\)`` → ``firefly_(honkai:_star_rail)``."""
    return normalize_key(text).replace(" ", "_")


def to_canonical(name: str) -> str:
    """Our canonical spelling of a Danbooru name: spaces, bare parentheses, emoticons intact (``^_^``)."""
    return canonical_name(name)
