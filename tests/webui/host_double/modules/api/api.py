"""Mirrors the script-argument handling of ``modules/api/api.py`` (A1111 v1.10.1).

- ``script_name_to_index``: case-insensitive title lookup (36-40).
- ``init_default_script_args`` (315-333): ``[None] * last_arg_index`` with ``[0] = 0``, then, inside a
  throwaway ``gr.Blocks()``, calls ``script.ui()`` **twice** per script and takes each returned
  component's ``.value`` as the default.
- ``init_script_args`` (335-360): alwayson args from ``alwayson_scripts[title]["args"]``, positional,
  ``min(len(args), args_to - args_from)``; 422 for an unknown title or a selectable script; a
  selectable ``script_name`` sets ``script_args[0] = index + 1``.
- ``get_script_info`` (300-306): every script's pydantic ``api_info``, serialised the way FastAPI
  serialises a ``response_model=list[ScriptInfo]`` answer (245).
- ``text2imgapi``/``img2imgapi`` (430-520): the request is first validated by the generated pydantic
  model (``models.py``; a mismatch is FastAPI's 422), then ``vars(model)`` (454) feeds the processing
  object; sampler/scheduler normalised with
  ``get_sampler_and_scheduler``; ``p.is_api = True`` before ``p.scripts``/``p.script_args`` are set
  (so ``setup`` runs with ``is_ui=False``); selectable script -> ``scripts.run``, else ``process_images``.
  The request ``infotext`` field (``apply_infotext``) is not modelled.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import gradio as gr
from fastapi.encoders import jsonable_encoder
from pydantic import ValidationError

from modules import processing, scripts, sd_samplers
from modules.api import models


class HTTPException(Exception):
    def __init__(self, status_code: int, detail: str):
        super().__init__(detail)
        self.status_code = status_code


def script_name_to_index(name, scripts_list):
    try:
        return [script.title().lower() for script in scripts_list].index(name.lower())
    except Exception as e:
        raise HTTPException(status_code=422, detail=f"Script '{name}' not found") from e


class Api:
    def __init__(self):
        self.default_script_arg_txt2img = self.init_default_script_args(scripts.scripts_txt2img)
        self.default_script_arg_img2img = self.init_default_script_args(scripts.scripts_img2img)

    def get_script_info(self) -> list[dict[str, Any]]:
        res = []
        for script_list in (scripts.scripts_txt2img.scripts, scripts.scripts_img2img.scripts):
            res += [script.api_info for script in script_list if script.api_info is not None]
        return jsonable_encoder(res)

    def get_script(self, script_name, script_runner):
        if script_name is None or script_name == "":
            return None
        return script_runner.scripts[script_name_to_index(script_name, script_runner.scripts)]

    def get_selectable_script(self, script_name, script_runner):
        if script_name is None or script_name == "":
            return None, None
        script_idx = script_name_to_index(script_name, script_runner.selectable_scripts)
        return script_runner.selectable_scripts[script_idx], script_idx

    def init_default_script_args(self, script_runner):
        last_arg_index = 1
        for script in script_runner.scripts:
            if last_arg_index < script.args_to:
                last_arg_index = script.args_to
        script_args = [None] * last_arg_index
        script_args[0] = 0
        with gr.Blocks():
            for script in script_runner.scripts:
                if script.ui(script.is_img2img):
                    ui_default_values = []
                    for elem in script.ui(script.is_img2img):
                        ui_default_values.append(elem.value)
                    script_args[script.args_from : script.args_to] = ui_default_values
        return script_args

    def init_script_args(self, request, default_script_args, selectable_scripts, selectable_idx, script_runner):
        script_args = default_script_args.copy()
        if selectable_scripts:
            script_args[selectable_scripts.args_from : selectable_scripts.args_to] = request.get("script_args", [])
            script_args[0] = selectable_idx + 1
        for name, body in (request.get("alwayson_scripts") or {}).items():
            alwayson_script = self.get_script(name, script_runner)
            if alwayson_script is None:
                raise HTTPException(status_code=422, detail=f"always on script {name} not found")
            if alwayson_script.alwayson is False:
                raise HTTPException(
                    status_code=422, detail="Cannot have a selectable script in the always on scripts params"
                )
            if "args" in body:
                n = min(alwayson_script.args_to - alwayson_script.args_from, len(body["args"]))
                for idx in range(n):
                    script_args[alwayson_script.args_from + idx] = body["args"][idx]
        return script_args

    def _run(self, request: dict[str, Any], runner, cls, model, defaults):
        try:
            req = model(**request)
        except ValidationError as e:
            raise HTTPException(status_code=422, detail=str(e)) from e
        selectable, idx = self.get_selectable_script(req.script_name, runner)
        sampler, scheduler = sd_samplers.get_sampler_and_scheduler(req.sampler_name, req.scheduler)
        script_args = self.init_script_args(vars(req), defaults, selectable, idx, runner)
        # 454-463: the API-only fields are popped, the rest are the class's __init__ arguments.
        accepted = {f.name for f in dataclasses.fields(cls) if f.init}
        fields = {k: v for k, v in vars(req).items() if k in accepted}
        fields["sampler_name"] = sampler
        if fields.get("sampler_name"):
            fields["sampler_index"] = None
        if not fields.get("scheduler") and scheduler != "Automatic":
            fields["scheduler"] = scheduler
        p = cls(**fields)
        p.is_api = True
        p.scripts = runner
        if selectable is not None:
            p.script_args = script_args
            return runner.run(p, *p.script_args)
        p.script_args = tuple(script_args)
        return processing.process_images(p)

    def text2imgapi(self, request: dict[str, Any], cls=processing.StableDiffusionProcessingTxt2Img):
        return self._run(
            request, scripts.scripts_txt2img, cls, models.StableDiffusionTxt2ImgProcessingAPI,
            self.default_script_arg_txt2img,
        )

    def img2imgapi(self, request: dict[str, Any]):
        return self._run(
            request,
            scripts.scripts_img2img,
            processing.StableDiffusionProcessingImg2Img,
            models.StableDiffusionImg2ImgProcessingAPI,
            self.default_script_arg_img2img,
        )
