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
    ``removed`` (a duplicate dropped).
    """

    kind: str
    text: str
    original: str = ""
    reason: str = ""


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
