"""Follow the checkpoint (UI only): switch the accordion on for an Animagine XL checkpoint,
and preselect the preset whose model the checkpoint's name names (Pony, NoobAI, ...).

The checkpoint dropdown (quicksettings, ``elem_id="setting_sd_model_checkpoint"``; Forge's
own picker, see :func:`is_checkpoint_dropdown`) is created after both tabs, while no script
runner is current, so a script's own
``on_after_component`` never sees it (A1111 ``modules/ui.py`` sets
``scripts_current = None`` before the settings); the global
``script_callbacks.on_after_component`` does. The accordions of the last UI build
are remembered here so that callback can reach them.

API calls are never affected: their defaults come from ``ui()``, where the
accordion is always created closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CHECKPOINT_ELEM_ID = "setting_sd_model_checkpoint"
# Forge: the quicksettings option is a State "(Managed by Forge)"; the dropdown users pick from is
# modules_forge/main_entry.py's ui_checkpoint, with no elem_id (label "Checkpoint", this class).
FORGE_CHECKPOINT_CLASS = "model_selection"


def is_checkpoint_dropdown(kwargs: dict[str, Any]) -> bool:
    """Whether a component's constructor arguments are those of the host's checkpoint picker."""
    if kwargs.get("elem_id") == CHECKPOINT_ELEM_ID:
        return True
    classes = kwargs.get("elem_classes") or ()
    classes = [classes] if isinstance(classes, str) else classes
    return kwargs.get("label") == "Checkpoint" and FORGE_CHECKPOINT_CLASS in classes

_accordions: dict[str, Any] = {}  # tab name -> InputAccordion of the current UI build
_preset_dropdowns: dict[str, Any] = {}  # tab name -> its preset dropdown


def remember(tab: str, component: Any, preset: Any = None) -> None:
    _accordions[tab] = component
    if preset is not None:
        _preset_dropdowns[tab] = preset


def preset_on_change(title: str | None, *, enabled: bool, preset_for: Callable[[str | None], str | None]) -> Any:
    """The preset to preselect for ``title``, or None for "leave the user's choice"."""
    return preset_for(title) if enabled else None


def on_checkpoint_change(title: str | None, *, enabled: bool, is_animagine: Callable[[str | None], bool]) -> Any:
    """Value for every accordion after the user picks ``title``: on/off, or None for "leave it"."""
    if not enabled:
        return None
    return is_animagine(title)


def on_page_load(title: str | None, *, enabled: bool, is_animagine: Callable[[str | None], bool]) -> Any:
    """At page load only switch on (a closed default may be the user's saved choice)."""
    if not enabled:
        return None
    return True if is_animagine(title) else None


def wire(
    component: Any,
    *,
    settings_enabled: Callable[[], bool],
    is_animagine: Callable[[str | None], bool],
    preset_for: Callable[[str | None], str | None] = lambda title: None,
) -> bool:
    """Attach the change and page-load events to the checkpoint dropdown; False if there is nothing to do."""
    import gradio as gr

    accordions = [c for c in _accordions.values() if c is not None]
    presets = [c for c in _preset_dropdowns.values() if c is not None]
    outputs = accordions + presets
    if not outputs:
        return False

    def updates(value: Any, preset: str | None) -> Any:
        result = [gr.update() if value is None else gr.update(value=value) for _ in accordions]
        result += [gr.update() if preset is None else gr.update(value=preset) for _ in presets]
        return result[0] if len(result) == 1 else result

    def chosen(title: str) -> str | None:
        return preset_on_change(title, enabled=settings_enabled(), preset_for=preset_for)

    def changed(title: str) -> Any:
        enable = on_checkpoint_change(title, enabled=settings_enabled(), is_animagine=is_animagine)
        return updates(enable, chosen(title))

    def loaded(title: str) -> Any:
        return updates(on_page_load(title, enabled=settings_enabled(), is_animagine=is_animagine), chosen(title))

    component.change(fn=changed, inputs=[component], outputs=outputs, show_progress="hidden")
    try:
        from gradio.context import Context

        root = Context.root_block
        if root is not None:
            root.load(fn=loaded, inputs=[component], outputs=outputs)
    except Exception:  # a gradio without instance load(): the change event still works
        pass
    return True
