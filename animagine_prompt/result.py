"""What a formatting pass returns: plain frozen values, JSON-ready."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .categories import Category


@dataclass(frozen=True)
class GenerationSettings:
    sampler_name: str
    scheduler: str
    cfg_scale: float
    steps: int
    width: int
    height: int


@dataclass(frozen=True)
class Diagnostic:
    """A lint finding. ``suggestion`` is the replacement text a one-click fix would use."""

    code: str
    message: str
    subject: str = ""
    suggestion: str | None = None
    level: str = "warning"  # "note": worth knowing, nothing wrong (how many 75-token chunks a prompt makes)


@dataclass(frozen=True)
class Change:
    """One visible difference between input and output, for the diff view.

    kind: ``moved`` (an item changed position), ``added`` (suffix, series, rating),
    ``cleaned`` (same item, new spelling: underscores, escapes, alias, whitespace),
    ``named`` (a plain name replaced by the character tag it means: ``makima`` -> ``makima (chainsaw man)``),
    ``removed`` (a duplicate dropped), ``separated`` (tags written one per line with no comma,
    which the host reads as one item, split into items: ``original`` is the item as written,
    ``text`` its pieces joined by commas).
    """

    kind: str
    text: str
    original: str = ""
    reason: str = ""


#: Plain words for :attr:`Change.kind` (and what each means), for what a person reads; ``kind`` itself
#: stays the machine-readable value of the JSON output.
CHANGE_WORDS: dict[str, tuple[str, str]] = {
    "moved": ("moved", "put where Animagine XL expects it"),
    "added": ("added", "added by the formatter: quality tags, a character's series, a rating"),
    "cleaned": ("respelled", "same tag, Danbooru's spelling: underscores, escapes, aliases, spaces"),
    "named": ("renamed", "renamed from a plain name to the character tag it means"),
    "removed": ("removed", "a duplicate, dropped"),
    "separated": ("separated", "tags on their own lines, which the WebUI reads as one, made separate tags"),
}

#: Plain words for :attr:`Diagnostic.code`, for what a person reads; ``code`` stays machine-readable.
DIAGNOSTIC_WORDS: dict[str, str] = {
    "empty-prompt": "empty prompt",
    "unbalanced": "unbalanced brackets",
    "ambiguous-name": "name of several characters",
    "natural-language": "a sentence, not tags",
    "non-ascii": "not a Danbooru tag",
    "unknown-tag": "unknown tag",
    "negative-quality": "belongs in the negative prompt",
    "model-mismatch": "tag of another model",
    "people-conflict": "people counts disagree",
    "rating-conflict": "two ratings",
    "weight-conflict": "different weights",
    "size-too-large": "size too large",
    "size-off-bucket": "untrained size",
    "cfg-range": "CFG out of range",
    "steps-range": "steps out of range",
    "internal-error": "formatter error",
    "chunks": "75-token chunks",
    "kept-as-written": "part kept as written",
}


def change_word(kind: str) -> str:
    """The word a person reads for a change kind (``named`` is "renamed"); unknown kinds as they are."""
    return CHANGE_WORDS.get(kind, (kind, ""))[0]


def change_meaning(kind: str) -> str:
    """One line on what a change kind means, for a tooltip; "" for an unknown kind."""
    return CHANGE_WORDS.get(kind, ("", ""))[1]


def diagnostic_word(code: str) -> str:
    """The words a person reads for a lint code (``ambiguous-name`` is "name of several characters");
    an unknown code with its hyphens read as spaces."""
    return DIAGNOSTIC_WORDS.get(code, code.replace("-", " "))


@dataclass(frozen=True)
class TaggedItem:
    text: str
    category: Category


@dataclass(frozen=True)
class FormatResult:
    prompt: str
    negative_prompt: str
    settings: GenerationSettings
    tags: tuple[TaggedItem, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    changes: tuple[Change, ...] = ()
    error: str | None = field(default=None)  # set when formatting failed and the input came back unchanged

    def to_json(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt,
            "negative_prompt": self.negative_prompt,
            "settings": {
                "sampler_name": self.settings.sampler_name,
                "scheduler": self.settings.scheduler,
                "cfg_scale": self.settings.cfg_scale,
                "steps": self.settings.steps,
                "width": self.settings.width,
                "height": self.settings.height,
            },
            "tags": [{"text": t.text, "category": t.category.value} for t in self.tags],
            "warnings": [w.message for w in self.warnings],
            "diagnostics": [
                {"code": w.code, "message": w.message, "subject": w.subject, "suggestion": w.suggestion,
                 "level": w.level}
                for w in self.warnings
            ],
            "changes": [
                {"kind": c.kind, "text": c.text, "original": c.original, "reason": c.reason} for c in self.changes
            ],
            "error": self.error,
        }
