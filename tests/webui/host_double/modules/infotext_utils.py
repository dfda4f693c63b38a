"""Mirrors ``modules/infotext_utils.py`` (A1111 v1.10.1).

- ``PasteField(component, target, *, api=None)``, a tuple with ``.component``/``.label``/``.function`` (34-44).
- ``quote``: JSON-quote values containing ``,``, newline or ``:`` (56-60); ``unquote`` (63-70).
- ``parse_generation_parameters`` (234-386): prompt lines, ``Negative prompt:`` lines, the last line
  parsed with ``re_param`` only when it holds >= 3 params; ``WxH`` values split into ``-1``/``-2``;
  styles extracted from the end of the prompt unless ``opts.infotext_styles == "Ignore"``.
  Version back-compat and emphasis detection are left out.
- ``paste(text, fields)`` is the body of ``connect_paste.paste_func`` (476-519): parse, run
  ``on_infotext_pasted`` callbacks, then per field: callable(params) or params[key]; None ->
  "no change"; a bool component gets False only from the literal "False"; int -> float.
"""

from __future__ import annotations

import json
import re
from typing import Any

from modules import script_callbacks, shared

re_param_code = r'\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)'
re_param = re.compile(re_param_code)
re_imagesize = re.compile(r"^(\d+)x(\d+)$")

NO_CHANGE = object()  # what gr.update() means for a pasted field


class PasteField(tuple):
    def __new__(cls, component, target, *, api=None):
        return super().__new__(cls, (component, target))

    def __init__(self, component, target, *, api=None):
        super().__init__()
        self.api = api
        self.component = component
        self.label = target if isinstance(target, str) else None
        self.function = target if callable(target) else None


def quote(text):
    if "," not in str(text) and "\n" not in str(text) and ":" not in str(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def unquote(text):
    if len(text) == 0 or text[0] != '"' or text[-1] != '"':
        return text
    try:
        return json.loads(text)
    except Exception:
        return text


def parse_generation_parameters(x: str, skip_fields: list[str] | None = None) -> dict[str, Any]:
    if skip_fields is None:
        skip_fields = shared.opts.infotext_skip_pasting
    res: dict[str, Any] = {}
    prompt = ""
    negative_prompt = ""
    done_with_prompt = False
    *lines, lastline = x.strip().split("\n")
    if len(re_param.findall(lastline)) < 3:
        lines.append(lastline)
        lastline = ""
    for line in lines:
        line = line.strip()
        if line.startswith("Negative prompt:"):
            done_with_prompt = True
            line = line[16:].strip()
        if done_with_prompt:
            negative_prompt += ("" if negative_prompt == "" else "\n") + line
        else:
            prompt += ("" if prompt == "" else "\n") + line
    for k, v in re_param.findall(lastline):
        try:
            if v[0] == '"' and v[-1] == '"':  # an empty value raises here and is dropped, as in the host
                v = unquote(v)
            m = re_imagesize.match(v)
            if m is not None:
                res[f"{k}-1"] = m.group(1)
                res[f"{k}-2"] = m.group(2)
            else:
                res[k] = v
        except Exception:
            print(f'Error parsing "{k}: {v}"')
    if shared.opts.infotext_styles != "Ignore":
        found, prompt_no_styles, negative_no_styles = shared.prompt_styles.extract_styles_from_prompt(
            prompt, negative_prompt
        )
        prompt, negative_prompt = prompt_no_styles, negative_no_styles
        if (shared.opts.infotext_styles == "Apply if any" and found) or shared.opts.infotext_styles == "Apply":
            res["Styles array"] = found
    res["Prompt"] = prompt
    res["Negative prompt"] = negative_prompt
    for key in skip_fields:
        res.pop(key, None)
    return res


def paste(text: str, fields: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    """The values ``connect_paste`` sends to each field (``NO_CHANGE`` for gr.update()), and the params
    (whose ``Prompt`` goes to the prompt box)."""
    params = parse_generation_parameters(text)
    script_callbacks.infotext_pasted_callback(text, params)
    out: list[Any] = []
    for component, key in fields:
        if callable(key):
            try:
                v = key(params)
            except Exception:
                v = None
        else:
            v = params.get(key, None)
        if v is None:
            out.append(NO_CHANGE)
            continue
        valtype = type(component.value)
        try:
            if valtype is bool and v == "False":
                val = False
            elif valtype is int:
                val = float(v)
            else:
                val = valtype(v)
            out.append(val)
        except Exception:
            out.append(NO_CHANGE)
    return out, params


class ParamBinding:
    """Lines 31-40 of the host: what a "Send to" button pastes, and into which tab."""

    def __init__(
        self,
        paste_button,
        tabname,
        source_text_component=None,
        source_image_component=None,
        source_tabname=None,
        override_settings_component=None,
        paste_field_names=None,
    ):
        self.paste_button = paste_button
        self.tabname = tabname
        self.source_text_component = source_text_component
        self.source_image_component = source_image_component
        self.source_tabname = source_tabname
        self.override_settings_component = override_settings_component
        self.paste_field_names = paste_field_names or []


registered_param_bindings: list[ParamBinding] = []


def register_paste_params_button(binding: ParamBinding) -> None:
    """Line 104 of the host: bindings are connected later, once every tab exists (``connect_paste_params_buttons``)."""
    registered_param_bindings.append(binding)
