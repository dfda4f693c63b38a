"""Mirrors ``modules/scripts.py`` (A1111 v1.10.1) as far as an AlwaysVisible script sees it.

- ``Script`` hook signatures (52-344), ``AlwaysVisible``, ``ScriptBuiltinUI.setup_for_ui_only``.
- ``basedir()`` is the extension root only while its script file executes (370-377, 509-523).
- ``load_scripts`` clears callbacks, then for each script file puts its base dir in front of
  ``sys.path`` *only during* ``load_module`` and restores it afterwards (487-523); modules are
  named after the file (``script_loading.py:10``) and not added to ``sys.modules``.
- ``ScriptRunner``: ``initialize_scripts`` (alwayson vs selectable by ``show()``, 575-612),
  ``create_script_ui`` (``args_from``/``args_to``, ``infotext_fields`` collected, the pydantic
  ``api_info`` built from the controls, a failure reported, 634-687; ``wrap_call`` 533-539),
  ``setup_ui`` (alwayson UIs, then the script dropdown at ``inputs[0]`` with ``type="index"``,
  then the selectable scripts, 708-766), ``run`` (768-784), and one method per hook that slices
  ``p.script_args[args_from:args_to]`` and reports (but swallows) exceptions (820-996). Hooks go
  only to alwayson scripts (786-790); ``setup`` skips ``setup_for_ui_only`` scripts under the API.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import sys
from collections import namedtuple
from dataclasses import dataclass
from typing import Any

import gradio as gr

from modules import errors, paths, script_callbacks

AlwaysVisible = object()


@dataclass
class OnComponent:
    component: Any


class Script:
    name = None
    section = None
    filename = None
    args_from = None
    args_to = None
    alwayson = False
    is_txt2img = False
    is_img2img = False
    tabname = None
    group = None
    create_group = True
    infotext_fields = None
    paste_field_names = None
    api_info = None
    on_before_component_elem_id = None
    on_after_component_elem_id = None
    setup_for_ui_only = False
    controls = None

    def title(self):
        raise NotImplementedError()

    def ui(self, is_img2img):
        pass

    def show(self, is_img2img):
        return True

    def run(self, p, *args):
        pass

    def setup(self, p, *args):
        pass

    def before_process(self, p, *args):
        pass

    def process(self, p, *args):
        pass

    def before_process_batch(self, p, *args, **kwargs):
        pass

    def process_batch(self, p, *args, **kwargs):
        pass

    def process_before_every_sampling(self, p, *args, **kwargs):
        pass

    def postprocess_batch(self, p, *args, **kwargs):
        pass

    def postprocess(self, p, processed, *args):
        pass

    def before_hr(self, p, *args):
        pass

    def on_before_component(self, callback, *, elem_id):
        if self.on_before_component_elem_id is None:
            self.on_before_component_elem_id = []
        self.on_before_component_elem_id.append((elem_id, callback))

    def on_after_component(self, callback, *, elem_id):
        if self.on_after_component_elem_id is None:
            self.on_after_component_elem_id = []
        self.on_after_component_elem_id.append((elem_id, callback))

    def elem_id(self, item_id):
        import re

        need_tabname = self.show(True) == self.show(False)
        tabkind = "img2img" if self.is_img2img else "txt2img"
        tabname = f"{tabkind}_" if need_tabname else ""
        title = re.sub(r"[^a-z_0-9]", "", re.sub(r"\s", "_", self.title().lower()))
        return f"script_{tabname}{title}_{item_id}"


class ScriptBuiltinUI(Script):
    setup_for_ui_only = True

    def show(self, is_img2img):
        return AlwaysVisible


current_basedir = paths.script_path


def basedir():
    return current_basedir


ScriptFile = namedtuple("ScriptFile", ["basedir", "filename", "path"])
ScriptClassData = namedtuple("ScriptClassData", ["script_class", "path", "basedir", "module"])
scripts_data: list[ScriptClassData] = []


def load_module(path):
    spec = importlib.util.spec_from_file_location(os.path.basename(path), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_scripts(script_files: list[ScriptFile]) -> None:
    """``script_files`` in load order: root scripts, builtin extensions, extensions (list_scripts)."""
    global current_basedir
    scripts_data.clear()
    script_callbacks.clear_callbacks()
    syspath = sys.path
    for scriptfile in script_files:
        try:
            if scriptfile.basedir != paths.script_path:
                sys.path = [scriptfile.basedir] + sys.path
            current_basedir = scriptfile.basedir
            module = load_module(scriptfile.path)
            for script_class in module.__dict__.values():
                if inspect.isclass(script_class) and issubclass(script_class, Script):
                    scripts_data.append(ScriptClassData(script_class, scriptfile.path, scriptfile.basedir, module))
        except Exception:
            errors.report(f"Error loading script: {scriptfile.filename}", exc_info=True)
        finally:
            sys.path = syspath
            current_basedir = paths.script_path


def wrap_call(func, filename, funcname, *args, default=None, **kwargs):
    """533-539: a script's ``ui``/``title`` failure is reported and stands as ``default``."""
    try:
        return func(*args, **kwargs)
    except Exception:
        errors.report(f"Error calling: {filename}/{funcname}", exc_info=True)
    return default


class ScriptRunner:
    def __init__(self):
        self.scripts: list[Script] = []
        self.selectable_scripts: list[Script] = []
        self.alwayson_scripts: list[Script] = []
        self.titles: list[str] = []
        self.title_map: dict[str, Script] = {}
        self.infotext_fields: list[Any] = []
        self.paste_field_names: list[str] = []
        self.inputs: list[Any] = [None]
        self.on_after_component_elem_id: dict[str, list] = {}

    def initialize_scripts(self, is_img2img):
        self.scripts.clear()
        self.alwayson_scripts.clear()
        self.selectable_scripts.clear()
        for script_data in scripts_data:
            script = script_data.script_class()
            script.filename = script_data.path
            script.is_txt2img = not is_img2img
            script.is_img2img = is_img2img
            script.tabname = "img2img" if is_img2img else "txt2img"
            visibility = script.show(script.is_img2img)
            if visibility == AlwaysVisible:
                self.scripts.append(script)
                self.alwayson_scripts.append(script)
                script.alwayson = True
            elif visibility:
                self.scripts.append(script)
                self.selectable_scripts.append(script)

    def create_script_ui(self, script):
        script.args_from = len(self.inputs)
        script.args_to = len(self.inputs)
        try:
            self.create_script_ui_inner(script)
        except Exception:
            errors.report(f"Error creating UI for {script.name}: ", exc_info=True)

    def create_script_ui_inner(self, script):
        """634-687: the controls' label, value, range and choices become the pydantic ``ScriptInfo``
        that ``/sdapi/v1/script-info`` answers; a control pydantic cannot take fails the whole UI."""
        from modules.api import models as api_models

        controls = wrap_call(script.ui, script.filename, "ui", script.is_img2img)
        script.controls = controls
        if controls is None:
            return
        script.name = wrap_call(script.title, script.filename, "title", default=script.filename).lower()
        api_args = []
        for control in controls:
            control.custom_script_source = os.path.basename(script.filename)
            arg_info = api_models.ScriptArg(label=control.label or "")
            for name in ("value", "minimum", "maximum", "step"):
                v = getattr(control, name, None)
                if v is not None:
                    setattr(arg_info, name, v)
            choices = getattr(control, "choices", None)  # gradio 4 (and some of 3.41): (label, value) tuples
            if choices is not None:
                arg_info.choices = [x[0] if isinstance(x, tuple) else x for x in choices]
            api_args.append(arg_info)
        script.api_info = api_models.ScriptInfo(
            name=script.name, is_img2img=script.is_img2img, is_alwayson=script.alwayson, args=api_args
        )
        if script.infotext_fields is not None:
            self.infotext_fields += script.infotext_fields
        if script.paste_field_names is not None:
            self.paste_field_names += script.paste_field_names
        self.inputs += controls
        script.args_to = len(self.inputs)

    def setup_ui(self):
        """Must run inside a ``gr.Blocks``; returns ``inputs`` (index 0 = the script dropdown)."""
        self.inputs = [None]
        self.titles = [s.title() for s in self.selectable_scripts]
        self.title_map = {s.title().lower(): s for s in self.scripts}
        for script in self.alwayson_scripts:
            with gr.Group(visible=True):
                self.create_script_ui(script)
        dropdown = gr.Dropdown(
            label="Script", elem_id="script_list", choices=["None"] + self.titles, value="None", type="index"
        )
        self.inputs[0] = dropdown
        for script in self.selectable_scripts:
            with gr.Group(visible=False):
                self.create_script_ui(script)
        for script in self.scripts:
            for elem_id, callback in script.on_after_component_elem_id or []:
                self.on_after_component_elem_id.setdefault(elem_id, []).append((callback, script))
        return self.inputs

    def default_args(self) -> list[Any]:
        """What the UI would submit untouched: every input's current value, dropdown index 0."""
        return [0] + [c.value for c in self.inputs[1:]]

    def script(self, title):
        return self.title_map.get(title.lower())

    def run(self, p, *args):
        script_index = args[0]
        if script_index == 0 or script_index is None:
            return None
        script = self.selectable_scripts[script_index - 1]
        return script.run(p, *args[script.args_from : script.args_to])

    def _call(self, method, p, *extra, **kwargs):
        for script in self.alwayson_scripts:
            if getattr(script.__class__, method, None) is getattr(Script, method, None):
                continue
            try:
                script_args = p.script_args[script.args_from : script.args_to]
                getattr(script, method)(p, *extra, *script_args, **kwargs)
            except Exception:
                errors.report(f"Error running {method}: {script.filename}", exc_info=True)

    def setup_scrips(self, p, *, is_ui=True):
        for script in self.alwayson_scripts:
            if not is_ui and script.setup_for_ui_only:
                continue
            try:
                script.setup(p, *p.script_args[script.args_from : script.args_to])
            except Exception:
                errors.report(f"Error running setup: {script.filename}", exc_info=True)

    def before_process(self, p):
        self._call("before_process", p)

    def process(self, p):
        self._call("process", p)

    def before_process_batch(self, p, **kwargs):
        self._call("before_process_batch", p, **kwargs)

    def process_batch(self, p, **kwargs):
        self._call("process_batch", p, **kwargs)

    def process_before_every_sampling(self, p, **kwargs):
        self._call("process_before_every_sampling", p, **kwargs)

    def postprocess_batch(self, p, images, **kwargs):
        self._call("postprocess_batch", p, images=images, **kwargs)

    def before_hr(self, p):
        self._call("before_hr", p)

    def postprocess(self, p, processed):
        self._call("postprocess", p, processed)


scripts_txt2img = ScriptRunner()
scripts_img2img = ScriptRunner()
scripts_current = None
