"""Host-free core of sd-webui-animagine.

Everything here runs without a Stable Diffusion WebUI: the tag knowledge base,
the prompt grammar, the Animagine XL formatter, presets and lint. The WebUI
adapter (``animagine_webui``) and the gradio tab only call into this package.

The library API is these three names::

    from animagine_prompt import format_prompt, get_preset, load_knowledge
    result = format_prompt("hatsune_miku, 1girl", db=load_knowledge(), preset=get_preset("4.0"))
    result.prompt, result.negative_prompt, result.error, result.changes  # each change: kind, text, original, reason

They are imported on first use, so ``import animagine_prompt`` (which every submodule
import runs) stays cheap for a WebUI that only needs part of the package at start.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["format_prompt", "get_preset", "load_knowledge"]

_HOME = {"format_prompt": ".formatter", "get_preset": ".presets", "load_knowledge": ".knowledge"}

if TYPE_CHECKING:
    from .formatter import format_prompt
    from .knowledge import load_knowledge
    from .presets import get_preset


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'animagine_prompt' has no attribute {name!r}")
    value = getattr(import_module(home, __name__), name)
    globals()[name] = value
    return value
