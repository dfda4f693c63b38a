"""Test double of ``modules/api/models.py`` (A1111 v1.10.1): the pydantic models a script meets.

Written from the host's behaviour, under whichever pydantic is installed: 1.10 in A1111 1.10 and
reForge main (fastapi 0.94 needs it), 2.8 in Forge and reForge's gradio-4 branch.

- ``ScriptArg``/``ScriptInfo`` (307-320): one per script with a UI, built by
  ``ScriptRunner.create_script_ui_inner`` (scripts.py 644-678) and answered by
  ``GET /sdapi/v1/script-info`` (api.py 245, 300-306) with ``response_model=list[ScriptInfo]``.
- ``StableDiffusionTxt2ImgProcessingAPI``/``...Img2Img...`` (37-130): a model generated from the
  processing class's ``__init__`` parameters, each ``Optional`` of its annotation with the class's
  default, less ``API_NOT_ALLOWED`` (9-25), plus API-only fields. A request that does not fit is a
  422 before any script runs; what fits is coerced to the annotation (pydantic 1 turns ``"5"`` into
  ``5.0``) and reaches the processing object through ``vars(model)`` (api.py 454).
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Optional

from pydantic import BaseModel, Field, create_model

# api.py's API_NOT_ALLOWED (models.py 9-25): __init__ parameters a request may not set.
API_NOT_ALLOWED = frozenset(
    {
        "self", "kwargs", "sd_model", "outpath_samples", "outpath_grids", "sampler_index",
        "extra_generation_params", "overlay_images", "do_not_reload_embeddings", "seed_enable_extras",
        "prompt_for_display", "sampler_noise_scheduler_override", "ddim_discretize",
    }
)


class ScriptArg(BaseModel):
    label: str = Field(default=None)
    value: Optional[Any] = Field(default=None)  # noqa: UP045 - pydantic 1 on Python 3.10
    minimum: Optional[Any] = Field(default=None)  # noqa: UP045
    maximum: Optional[Any] = Field(default=None)  # noqa: UP045
    step: Optional[Any] = Field(default=None)  # noqa: UP045
    choices: Optional[list[str]] = Field(default=None)  # noqa: UP045


class ScriptInfo(BaseModel):
    name: str = Field(default=None)
    is_alwayson: bool = Field(default=None)
    is_img2img: bool = Field(default=None)
    args: list[ScriptArg]


# The API-only fields (models.py 106-130): (name, type, default).
_SCRIPT_FIELDS = (
    ("script_name", str, None),
    ("script_args", list, []),
    ("send_images", bool, True),
    ("save_images", bool, False),
    ("alwayson_scripts", dict, {}),
    ("force_task_id", str, None),
    ("infotext", str, None),
)
_TXT2IMG_EXTRA = (("sampler_index", str, "Euler"), *_SCRIPT_FIELDS)
_IMG2IMG_EXTRA = (
    ("sampler_index", str, "Euler"),
    ("init_images", list, None),
    ("denoising_strength", float, 0.75),
    ("mask", str, None),
    ("include_init_images", bool, False),
    *_SCRIPT_FIELDS,
)


def request_model(name: str, processing_class: type, extra: tuple[tuple[str, type, Any], ...]) -> type[BaseModel]:
    """The host's ``PydanticModelGenerator(...).generate_model()`` for a processing dataclass."""
    hints = typing.get_type_hints(processing_class)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(processing_class):
        if not f.init or f.name in API_NOT_ALLOWED:
            continue
        default = f.default if f.default is not dataclasses.MISSING else None
        fields[f.name] = (Optional[hints.get(f.name, Any)], default)  # noqa: UP045
    for key, kind, default in extra:
        fields[key] = (Optional[kind], default)  # noqa: UP045
    return create_model(name, **fields)


def _models() -> tuple[type[BaseModel], type[BaseModel]]:
    from modules import processing

    return (
        request_model("StableDiffusionProcessingTxt2Img", processing.StableDiffusionProcessingTxt2Img, _TXT2IMG_EXTRA),
        request_model("StableDiffusionProcessingImg2Img", processing.StableDiffusionProcessingImg2Img, _IMG2IMG_EXTRA),
    )


StableDiffusionTxt2ImgProcessingAPI, StableDiffusionImg2ImgProcessingAPI = _models()
