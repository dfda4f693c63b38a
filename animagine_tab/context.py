"""What the tab needs from its host, as one immutable value.

The standalone app and the WebUI differ only in these inputs (where tags come
from, whether "Send to txt2img" exists, whether a real tokenizer is loaded), so
both call the same :func:`~animagine_tab.build_tab` with a different
context instead of keeping two copies of the layout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from animagine_prompt.presets import DEFAULT_PRESET, Preset, find_preset_name

#: Counts CLIP tokens of a text as the host would (without BOS/EOS); None when no model is loaded.
TokenCounter = Callable[[str], "int | None"]

#: Called once per send target inside the Blocks: (target tab name, button, hidden infotext textbox).
SendBinder = Callable[[str, Any, Any], None]


@dataclass(frozen=True)
class TabContext:
    """Inputs of :func:`~animagine_tab.build_tab`.

    ``load_db`` gives the tag database; ``reload_db`` (default: ``load_db``) builds a
    fresh one after the user saves overrides or presses *Reload*, so lookups see the
    change. ``db_ready`` (None: load while the tab is built, as the standalone app
    does) says without waiting whether the database is loaded; when it is given and
    says no, the tab is built without touching the database (a host's start must not
    wait for it) and the panels that show database content fill in when opened.
    ``overrides_file`` is the user's ``tag,category`` file the editor writes
    (None hides the editor). ``send_targets``/``bind_send`` wire the host's
    "Send to" buttons; empty in the standalone app, where they are hidden.
    ``dialect`` names the comment syntax the host reads (``a1111``, ``reforge``,
    ``plain``), the one the tab formats with until the user picks another.
    """

    load_db: Callable[[], Any]
    presets: Mapping[str, Preset]
    default_preset: str = DEFAULT_PRESET
    overrides_file: Path | None = None
    send_targets: tuple[str, ...] = ()
    bind_send: SendBinder | None = None
    token_counter: TokenCounter | None = None
    reload_db: Callable[[], Any] | None = None
    db_ready: Callable[[], bool] | None = None
    dialect: str = "a1111"  # what the host reads as a comment: the comments radio starts there
    css: str = ""  # only the standalone app needs it: the WebUI loads style.css itself
    title: str = "Animagine XL prompt helper"

    def preset(self, name: str | None) -> Preset:
        """The named preset (any spelling the preset-name rule accepts), falling back to the default:
        a stale dropdown value must not crash a callback."""
        found = find_preset_name(name, self.presets) if name else None
        if found is not None:
            return self.presets[found]
        if self.default_preset in self.presets:
            return self.presets[self.default_preset]
        return next(iter(self.presets.values()))
