"""Is a checkpoint an Animagine XL model? Decided from its name, else its safetensors header.

Reading the header costs one small read (8 bytes of length, then the JSON
header, never the tensors) and is cached by path, size and modification time.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from animagine_prompt.presets import preset_for_checkpoint

MARKER = "animagine"
_MAX_HEADER = 64 * 1024 * 1024  # a header larger than this is not a real safetensors header


@lru_cache(maxsize=256)
def _title_cached(path: str, size: int, mtime_ns: int) -> str:
    with open(path, "rb") as fh:
        head = fh.read(8)
        if len(head) != 8:
            return ""
        (length,) = struct.unpack("<Q", head)
        if length <= 0 or length > min(_MAX_HEADER, size - 8):
            return ""
        header = json.loads(fh.read(length).decode("utf-8"))
    meta = header.get("__metadata__") or {}
    return str(meta.get("modelspec.title", "")) if isinstance(meta, dict) else ""


def safetensors_title(path: str | os.PathLike[str] | None) -> str:
    """``modelspec.title`` from a ``.safetensors`` file's metadata, or ``""``."""
    if not path or not str(path).lower().endswith(".safetensors"):
        return ""
    try:
        stat = os.stat(path)
        return _title_cached(os.fspath(path), stat.st_size, stat.st_mtime_ns)
    except (OSError, ValueError, UnicodeDecodeError):
        return ""


def is_animagine(name: str | None, filename: str | None = None) -> bool:
    """True when the checkpoint's name (or file name) or its ``modelspec.title`` mentions Animagine."""
    for text in (name, os.path.basename(filename) if filename else None):
        if text and MARKER in text.lower():
            return True
    return MARKER in safetensors_title(filename).lower()


def checkpoint_is_animagine(title: str | None) -> bool:
    """Look a checkpoint title (``"name [hash]"``, as in the checkpoint dropdown) up in the host."""
    if not title:
        return False
    if MARKER in title.lower():
        return True
    try:
        from modules import sd_models  # type: ignore[import-not-found]

        info: Any = sd_models.get_closet_checkpoint_match(title)
    except Exception:
        return False
    if info is None:
        return False
    return is_animagine(getattr(info, "name", None), getattr(info, "filename", None))


def model_is_sdxl(model: Any) -> bool | None:
    """``shared.sd_model.is_sdxl`` when known; None when there is no model to ask."""
    if model is None:
        return None
    flag = getattr(model, "is_sdxl", None)
    return bool(flag) if flag is not None else None


def checkpoint_preset(title: str | None, presets: Mapping[str, Any]) -> str | None:
    """The preset a checkpoint's title, file name or ``modelspec.title`` names (``preset_for_checkpoint``)."""
    if not title:
        return None
    found = preset_for_checkpoint(title, presets)
    if found is not None:
        return found
    try:
        from modules import sd_models  # type: ignore[import-not-found]

        info: Any = sd_models.get_closet_checkpoint_match(title)
    except Exception:
        return None
    filename = getattr(info, "filename", None) if info is not None else None
    if not filename:
        return None
    return preset_for_checkpoint(os.path.basename(filename), presets) or preset_for_checkpoint(
        safetensors_title(filename), presets
    )
