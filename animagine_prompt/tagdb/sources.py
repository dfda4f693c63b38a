"""What the knowledge base says about where its answers come from.

``SourceInfo`` feeds the UI's "tag database" panel; ``TagSource`` is the small
protocol an extra source (such as the Danbooru cache) implements to slot into
the lookup chain between our curated tags and the bulk lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..categories import Category

#: ``TagInfo.source`` values of the built-in layers, highest precedence first.
SOURCE_USER = "user"
SOURCE_CURATED = "curated"
SOURCE_TAGCOMPLETE = "tagcomplete"
#: The Danbooru general-tag snapshot shipped in ``animagine_prompt/data`` (see tags/README.md).
SOURCE_BUNDLED = "danbooru"
SOURCE_KGEN = "kgen"

#: Plain words for ``TagInfo.source`` values, for what a person reads (the tab's lookups).
SOURCE_WORDS = {
    SOURCE_USER: "your overrides",
    SOURCE_CURATED: "the curated lists",
    SOURCE_TAGCOMPLETE: "Tag Autocomplete's lists",
    SOURCE_BUNDLED: "the bundled Danbooru tags",
    SOURCE_KGEN: "the tipo-kgen lists",
}


def source_word(source: str) -> str:
    """The words a person reads for where a tag's answer came from; an unknown source as it is."""
    return SOURCE_WORDS.get(source, source)


@dataclass(frozen=True)
class SourceInfo:
    """One line of the "tag database" panel.

    ``entries`` counts tags (and aliases, where the source has them) that the
    source contributed; ``problem`` is a one-line reason when ``ok`` is False
    or when part of the source was skipped.
    """

    name: str
    kind: str
    path: str | None
    entries: int
    ok: bool
    problem: str | None = None


@runtime_checkable
class TagSource(Protocol):
    """An extra tag source supplied through ``TagDBConfig.extra_sources``.

    ``get`` receives a key already passed through ``normalize_key`` and returns
    the canonical spelling (spaces, bare parentheses) and category, or None.
    It is called on the lookup path, so it must be a cheap in-memory read.
    """

    @property
    def name(self) -> str: ...

    def get(self, key: str) -> tuple[str, Category] | None: ...

    def info(self) -> SourceInfo: ...
