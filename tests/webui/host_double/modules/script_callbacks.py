"""Mirrors ``modules/script_callbacks.py`` (A1111 v1.10.1): registration and invocation of callbacks.

- ``on_*`` register (lines 456-609); ``clear_callbacks`` empties every list (line 246), which
  ``scripts.load_scripts`` calls before re-executing script files (scripts.py:491).
- ``app_started_callback(demo, app)`` (253), ``ui_settings_callback()`` (298),
  ``before_ui_callback()`` (394), ``infotext_pasted_callback(infotext, params)`` (378),
  ``after_component_callback(component, **kwargs)`` (362); a failing callback is reported
  and the others still run (``report_exception``, line 14).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from modules import errors

callback_map: dict[str, list[Callable[..., Any]]] = defaultdict(list)


def clear_callbacks() -> None:
    callback_map.clear()


def _add(name: str, callback: Callable[..., Any]) -> None:
    callback_map[name].append(callback)


def _run(name: str, *args: Any, **kwargs: Any) -> None:
    for c in list(callback_map[name]):
        try:
            c(*args, **kwargs)
        except Exception:
            errors.report(f"Error executing callback {name} for {c}", exc_info=True)


def on_app_started(callback, *, name=None):
    _add("callbacks_app_started", callback)


def on_model_loaded(callback, *, name=None):
    _add("callbacks_model_loaded", callback)


def on_ui_tabs(callback, *, name=None):
    _add("callbacks_ui_tabs", callback)


def on_ui_settings(callback, *, name=None):
    _add("callbacks_ui_settings", callback)


def on_before_component(callback, *, name=None):
    _add("callbacks_before_component", callback)


def on_after_component(callback, *, name=None):
    _add("callbacks_after_component", callback)


def on_infotext_pasted(callback, *, name=None):
    _add("callbacks_infotext_pasted", callback)


def on_before_ui(callback, *, name=None):
    _add("callbacks_before_ui", callback)


def on_script_unloaded(callback, *, name=None):
    _add("callbacks_script_unloaded", callback)


def app_started_callback(demo, app):
    _run("callbacks_app_started", demo, app)


def model_loaded_callback(sd_model):
    _run("callbacks_model_loaded", sd_model)


def ui_tabs_callback():
    """Line 232 of the host: each callback returns ``[(blocks, title, elem_id)]``; a failing one is reported."""
    res = []
    for c in list(callback_map["callbacks_ui_tabs"]):
        try:
            res += c() or []
        except Exception:
            errors.report(f"Error executing callback ui_tabs_callback for {c}", exc_info=True)
    return res


def ui_settings_callback():
    _run("callbacks_ui_settings")


def before_ui_callback():
    _run("callbacks_before_ui")


def after_component_callback(component, **kwargs):
    _run("callbacks_after_component", component, **kwargs)


def infotext_pasted_callback(infotext: str, params: dict[str, Any]):
    _run("callbacks_infotext_pasted", infotext, params)
