"""Module-level callback registration, called by ``scripts/animagine_xl.py`` each time the host runs it.

The host clears every callback and re-executes script files on "Reload UI"
(A1111 ``modules/scripts.py`` ``load_scripts``), so registering from the shim's
module body registers exactly once per load; registering in ``Script.__init__``
would register twice (one runner per tab).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from modules import script_callbacks, scripts, shared  # type: ignore[import-not-found]

from animagine_prompt.presets import PresetError

from . import api, auto_enable, infotext, tab, xyz
from .engine import KNOWLEDGE_BASE, PRESETS, log, one_line
from .model_detect import checkpoint_is_animagine, checkpoint_preset
from .settings import option_infos, read_settings


def _settings() -> Any:
    return read_settings(getattr(shared, "opts", None))


def _resolve(name: str) -> str | None:
    try:
        return PRESETS.resolve(name).name
    except PresetError:
        return None


def on_ui_settings() -> None:
    import gradio as gr

    for key, info in option_infos(shared, gr, PRESETS.names()).items():
        shared.opts.add_option(key, info)


def on_infotext_pasted(text: str, params: dict[str, Any]) -> None:
    if not _settings().paste_original:
        return
    try:
        styles = getattr(shared, "prompt_styles", None)
        extract = getattr(styles, "extract_styles_from_prompt", None)
        mode = str(getattr(shared.opts, "infotext_styles", "Apply if any"))
        infotext.restore_original(params, extract, mode)
    except Exception as exc:  # pasting must never break
        log(f"could not restore the original prompt: {one_line(exc)}")


def on_before_ui() -> None:
    try:
        xyz.add_axes(scripts.scripts_data, PRESETS.names, _resolve)
    except Exception as exc:
        log(f"X/Y/Z plot axes not added: {one_line(exc)}")


def on_app_started(demo: Any, app: Any) -> None:
    api.add_routes(app, _settings, api_auth=getattr(getattr(shared, "cmd_opts", None), "api_auth", None))
    KNOWLEDGE_BASE.load_in_background()  # after the host is up; the first user waits only if it is not done


def on_after_component(component: Any, **kwargs: Any) -> None:
    if not auto_enable.is_checkpoint_dropdown(kwargs):
        return
    try:
        auto_enable.wire(
            component,
            settings_enabled=lambda: _settings().auto_enable,
            is_animagine=checkpoint_is_animagine,
            preset_for=lambda title: checkpoint_preset(title, PRESETS.all()),
        )
    except Exception as exc:
        log(f"auto-enable not wired: {one_line(exc)}")


def add_now() -> None:
    """Settings and X/Y/Z axes, added while the shim loads as well as from their callbacks.

    Under ``--nowebui`` both hosts build the UI (and the API's options model) before
    ``on_before_ui`` runs, so axes added only there are missing from API X/Y/Z requests
    and settings added only in ``on_ui_settings`` are missing from ``/sdapi/v1/options``
    (seen in real A1111 1.10.1 and reForge runs). The built-in Lora extension adds its
    options at import time for the same reason. Both additions are idempotent.
    """
    try:
        on_ui_settings()
    except Exception as exc:
        log(f"settings not added yet: {one_line(exc)}")
    on_before_ui()


def _on(category: str, callback: Callable[..., Any]) -> None:
    """``script_callbacks.on_<category>(callback)``, naming this file as the caller.

    Each ``on_*`` ends in the host's ``add_callback``, which, when no file is given, reads
    ``inspect.stack()`` to find the caller (A1111 1.10.1 and reForge ``script_callbacks.py:127-130``);
    with reForge's many loaded modules that took 0.1 s per call, 0.6 s of its start for our six
    (measured with cProfile in the real reForge). Giving the file the stack would find (this one)
    keeps the entry's name, ``<extension>/callbacks.py/<category>``, so users' callback-order
    settings still apply. A host without that signature gets the public ``on_*`` call.
    """
    add = getattr(script_callbacks, "add_callback", None)
    entries = getattr(script_callbacks, "callback_map", {}).get(f"callbacks_{category}")
    try:
        direct = add is not None and entries is not None and "filename" in inspect.signature(add).parameters
    except (TypeError, ValueError):
        direct = False
    if direct:
        add(entries, callback, category=category, filename=__file__)
    else:
        getattr(script_callbacks, f"on_{category}")(callback)


def register() -> None:
    add_now()
    _on("ui_settings", on_ui_settings)
    _on("infotext_pasted", on_infotext_pasted)
    _on("before_ui", on_before_ui)
    _on("app_started", on_app_started)
    _on("after_component", on_after_component)
    _on("ui_tabs", tab.on_ui_tabs)
