"""Stands in for ``modules/script_callbacks.py`` of A1111 v1.10.1 (reForge main: the same code).

Written from the host's behaviour, not copied. Modelled facts, each with the host line (A: A1111):

- Every ``on_*`` call appends a named entry ``<extension>/<file name>/<category>[/<name>]``; a
  repeated name gets ``-1``, ``-2`` … (A: script_callbacks.py:127-147). The extension is the one whose
  folder holds the calling file, which need not be in ``scripts/`` (A: extensions.py find_extension;
  canonical name: the folder name in lower case, extensions.py:54); host files are ``base``.
- Entries run in registration order unless metadata.ini ``[callbacks/<entry name>]`` gives
  ``Before``/``After`` (A: :150-183, a depth-first topological sort that ignores missing names and
  cycles, util.py:157-178). The double takes those instructions from :data:`order_instructions`.
- Then Settings › Callbacks (``opts.prioritized_callbacks_<category>``) moves the listed entries to
  the front, in the listed order (A: :185-190).
- ``before_ui`` callbacks run in **reverse** order (A: :395); all others in order (e.g. :254, :281).
- A callback that raises is reported (``errors.report``, A: :14-15) and the next one still runs
  (A: :255-259 and every ``*_callback`` function).
- ``clear_callbacks`` empties every list and the sorted cache (A: :246-250); ``scripts.load_scripts``
  calls it before re-running script files (A: scripts.py:491).
"""

from __future__ import annotations

import inspect
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from modules import errors


@dataclass
class ScriptCallback:
    script: str
    callback: Callable[..., Any]
    name: str = "unnamed"


callback_map: dict[str, list[ScriptCallback]] = defaultdict(list)

#: What metadata.ini's ``[callbacks/<entry name>]`` sections would say: entry name -> (after, before).
order_instructions: dict[str, tuple[Iterable[str], Iterable[str]]] = {}


def _extension_of(filename: str) -> str:
    """The host finds the extension whose folder holds the file (extensions.find_extension); the double
    takes the nearest folder above it that has a ``scripts/`` folder, the host double's own files excepted."""
    folder = os.path.dirname(os.path.abspath(filename))
    while os.path.dirname(folder) != folder:
        if os.path.isdir(os.path.join(folder, "scripts")) and not os.path.isdir(os.path.join(folder, "modules")):
            return os.path.basename(folder).lower()
        folder = os.path.dirname(folder)
    return "base"


def _caller_file() -> str:
    for frame in inspect.stack()[2:]:
        if frame.filename != __file__:
            return frame.filename
    return "unknown file"


def add_callback(callbacks, fun, *, name=None, category="unknown", filename=None):
    """What every ``on_*`` calls; the caller's stack is read only when ``filename`` is None
    (A: script_callbacks.py:127-130, reForge the same)."""
    filename = _caller_file() if filename is None else filename
    base = f"{_extension_of(filename)}/{os.path.basename(filename)}/{category}" + (f"/{name}" if name else "")
    taken = {e.name for e in callbacks}
    unique = base
    suffix = 0
    while unique in taken:
        suffix += 1
        unique = f"{base}-{suffix}"
    callbacks.append(ScriptCallback(filename, fun, unique))


def _add(category: str, callback: Callable[..., Any], name: str | None) -> None:
    add_callback(callback_map[f"callbacks_{category}"], callback, name=name, category=category,
                 filename=_caller_file())


def _depth_first(deps: dict[str, list[str]]) -> list[str]:
    done: set[str] = set()
    out: list[str] = []

    def visit(name: str) -> None:
        done.add(name)
        for first in deps.get(name, []):
            if first in deps and first not in done:
                visit(first)
        out.append(name)

    for name in deps:
        if name not in done:
            visit(name)
    return out


def ordered(category: str) -> list[ScriptCallback]:
    """The entries of ``category`` in the order the host runs them (before any reversal)."""
    entries = list(callback_map[f"callbacks_{category}"])
    names = {e.name: e for e in entries}
    if any(n in order_instructions for n in names):
        deps: dict[str, list[str]] = {n: [] for n in names}
        for n in names:
            after, before = order_instructions.get(n, ((), ()))
            deps[n].extend(a for a in after if a in names)
            for b in before:
                if b in names:
                    deps[b].append(n)
        entries = [names[n] for n in _depth_first(deps)]
    from modules import shared

    for wanted in reversed(list(getattr(shared.opts, f"prioritized_callbacks_{category}", None) or [])):
        at = next((i for i, e in enumerate(entries) if e.name == wanted), None)
        if at is not None:
            entries.insert(0, entries.pop(at))
    return entries


def clear_callbacks() -> None:
    for entries in callback_map.values():
        entries.clear()


def _run(category: str, *args: Any, reverse: bool = False, **kwargs: Any) -> list[Any]:
    results = []
    entries = ordered(category)
    for entry in reversed(entries) if reverse else entries:
        try:
            results.append(entry.callback(*args, **kwargs))
        except Exception:
            errors.report(f"Error executing callback {category} for {entry.script}", exc_info=True)
    return results


def on_app_started(callback, *, name=None):
    _add("app_started", callback, name)


def on_model_loaded(callback, *, name=None):
    _add("model_loaded", callback, name)


def on_ui_tabs(callback, *, name=None):
    _add("ui_tabs", callback, name)


def on_ui_settings(callback, *, name=None):
    _add("ui_settings", callback, name)


def on_before_component(callback, *, name=None):
    _add("before_component", callback, name)


def on_after_component(callback, *, name=None):
    _add("after_component", callback, name)


def on_infotext_pasted(callback, *, name=None):
    _add("infotext_pasted", callback, name)


def on_before_ui(callback, *, name=None):
    _add("before_ui", callback, name)


def on_script_unloaded(callback, *, name=None):
    _add("script_unloaded", callback, name)


def app_started_callback(demo, app):
    _run("app_started", demo, app)


def model_loaded_callback(sd_model):
    _run("model_loaded", sd_model)


def ui_tabs_callback():
    """Each callback returns ``[(blocks, title, elem_id)]`` (A: :278-287); a failing one adds nothing."""
    tabs: list[Any] = []
    for result in _run("ui_tabs"):
        tabs += result or []
    return tabs


def ui_settings_callback():
    _run("ui_settings")


def before_ui_callback():
    _run("before_ui", reverse=True)


def after_component_callback(component, **kwargs):
    _run("after_component", component, **kwargs)


def infotext_pasted_callback(infotext: str, params: dict[str, Any]):
    _run("infotext_pasted", infotext, params)
