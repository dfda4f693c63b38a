"""Mirrors ``modules/processing.py`` (A1111 v1.10.1; reForge main differences noted) without any model.

Attribute names and defaults: ``StableDiffusionProcessing`` (136-226), ``...Txt2Img`` (1165-1199),
``...Img2Img`` (1556-1581); reForge adds ``hr_cfg: float = 1.0`` (R: 1298), modelled by
``StableDiffusionProcessingTxt2ImgReForge``.

Setting ``p.scripts`` and ``p.script_args`` (both truthy) runs ``setup_scripts`` once (269-294).

``process_images`` keeps the host's call order (819-1150):
  before_process -> override_settings -> fix_p_invalid_sampler_and_scheduler ->
  [inner] sd_model_name/hash -> setup_prompts (styles; txt2img hires lists 1474-1497) -> seeds ->
  process -> init (txt2img: Hires prompt callables, hr_scheduler, calculate_target_resolution
  1252-1305; img2img: create_sampler 1607 and resize to p.width/p.height) ->
  per batch: slice prompts/negatives/seeds (943-946), rng from width/height (949),
  before_process_batch (952), parse_extra_network_prompts (957, strips ``<...>`` from p.prompts,
  slices hr_prompts 1544-1553), process_batch (964), setup_conds (966), sample (988: create_sampler
  1308, process_before_every_sampling; hires: create_sampler(hr_sampler_name or sampler_name) 1386,
  calculate_hr_conds 1499-1511, before_hr 1445), postprocess_batch (1017), **re-slice p.prompts /
  p.negative_prompts from all_*** (1019-1020), infotext per image (1026-1090), grid infotext with
  ``use_main_prompt`` (1119-1127), Processed, postprocess (1148).
reForge main keeps the same order at other lines: before_process R:900, fix_p_invalid R:921,
setup_prompts R:977, process R:993, init R:999, before_process_batch R:1031, process_batch R:1044.

What the "model" saw is recorded in ``p.sampled`` (one dict per batch): prompts and negatives used
for conditioning, sampler/scheduler/steps/CFG, size, rng shape and hires target.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from modules import infotext_utils, sd_samplers, shared

re_extra_net = re.compile(r"<(\w+):([^>]+)>")  # extra_networks.py:175


def parse_prompts(prompts: list[str]) -> tuple[list[str], list[list[str]]]:
    """``extra_networks.parse_prompts``: strip ``<name:args>`` tags, return them separately."""
    stripped, found = [], []
    for text in prompts:
        found.append(re_extra_net.findall(text))
        stripped.append(re_extra_net.sub("", text))
    return stripped, found


class FakeImage:
    def __init__(self, width: int, height: int):
        self.size = (width, height)
        self.info: dict[str, str] = {}


@dataclass(repr=False)
class StableDiffusionProcessing:
    sd_model: object = None
    outpath_samples: str = None
    outpath_grids: str = None
    prompt: str = ""
    prompt_for_display: str = None
    negative_prompt: str = ""
    styles: list = None
    seed: int = -1
    subseed: int = -1
    subseed_strength: float = 0
    seed_resize_from_h: int = -1
    seed_resize_from_w: int = -1
    seed_enable_extras: bool = True
    sampler_name: str = None
    scheduler: str = None
    batch_size: int = 1
    n_iter: int = 1
    steps: int = 50
    cfg_scale: float = 7.0
    width: int = 512
    height: int = 512
    restore_faces: bool = None
    tiling: bool = None
    do_not_save_samples: bool = False
    do_not_save_grid: bool = False
    extra_generation_params: dict = None
    overlay_images: list = None
    eta: float = None
    denoising_strength: float = None
    override_settings: dict = None
    override_settings_restore_afterwards: bool = True
    sampler_index: int = None
    refiner_checkpoint: str = None
    refiner_switch_at: float = None
    disable_extra_networks: bool = False

    scripts_value: Any = field(default=None, init=False)
    script_args_value: Any = field(default=None, init=False)
    scripts_setup_complete: bool = field(default=False, init=False)

    all_prompts: list = field(default=None, init=False)
    all_negative_prompts: list = field(default=None, init=False)
    all_seeds: list = field(default=None, init=False)
    all_subseeds: list = field(default=None, init=False)
    iteration: int = field(default=0, init=False)
    main_prompt: str = field(default=None, init=False)
    main_negative_prompt: str = field(default=None, init=False)
    prompts: list = field(default=None, init=False)
    negative_prompts: list = field(default=None, init=False)
    seeds: list = field(default=None, init=False)
    subseeds: list = field(default=None, init=False)
    extra_network_data: Any = field(default=None, init=False)
    sd_model_name: str = field(default=None, init=False)
    sd_model_hash: str = field(default=None, init=False)
    is_api: bool = field(default=False, init=False)
    rng: Any = field(default=None, init=False)

    def __post_init__(self):
        self.comments = {}
        if self.styles is None:
            self.styles = []
        self.extra_generation_params = self.extra_generation_params or {}
        self.override_settings = self.override_settings or {}
        self.sampled: list[dict[str, Any]] = []

    @property
    def sd_model(self):  # noqa: F811 - the host shadows the dataclass field the same way (261-267)
        return shared.sd_model

    @sd_model.setter
    def sd_model(self, value):
        pass

    @property
    def scripts(self):
        return self.scripts_value

    @scripts.setter
    def scripts(self, value):
        self.scripts_value = value
        if self.scripts_value and self.script_args_value and not self.scripts_setup_complete:
            self.setup_scripts()

    @property
    def script_args(self):
        return self.script_args_value

    @script_args.setter
    def script_args(self, value):
        self.script_args_value = value
        if self.scripts_value and self.script_args_value and not self.scripts_setup_complete:
            self.setup_scripts()

    def setup_scripts(self):
        self.scripts_setup_complete = True
        self.scripts.setup_scrips(self, is_ui=not self.is_api)

    def setup_prompts(self):
        if isinstance(self.prompt, list):
            self.all_prompts = self.prompt
        elif isinstance(self.negative_prompt, list):
            self.all_prompts = [self.prompt] * len(self.negative_prompt)
        else:
            self.all_prompts = self.batch_size * self.n_iter * [self.prompt]
        if isinstance(self.negative_prompt, list):
            self.all_negative_prompts = self.negative_prompt
        else:
            self.all_negative_prompts = [self.negative_prompt] * len(self.all_prompts)
        self.all_prompts = [shared.prompt_styles.apply_styles_to_prompt(x, self.styles) for x in self.all_prompts]
        self.all_negative_prompts = [
            shared.prompt_styles.apply_negative_styles_to_prompt(x, self.styles) for x in self.all_negative_prompts
        ]
        self.main_prompt = self.all_prompts[0]
        self.main_negative_prompt = self.all_negative_prompts[0]

    def init(self, all_prompts, all_seeds, all_subseeds):
        pass

    def parse_extra_network_prompts(self):
        self.prompts, self.extra_network_data = parse_prompts(self.prompts)

    def setup_conds(self):
        self.c = list(self.prompts)
        self.uc = list(self.negative_prompts)

    def sample(self):
        sd_samplers.create_sampler(self.sampler_name, self.sd_model)
        self.scripts and self.scripts.process_before_every_sampling(self)
        return {
            "prompts": list(self.c),
            "negatives": list(self.uc),
            "sampler": self.sampler_name,
            "scheduler": self.scheduler,
            "steps": self.steps,
            "cfg": self.cfg_scale,
            "size": (self.width, self.height),
            "rng": self.rng,
        }

    def get_token_merging_ratio(self, for_hr=False):
        return 0


@dataclass(repr=False)
class StableDiffusionProcessingTxt2Img(StableDiffusionProcessing):
    enable_hr: bool = False
    denoising_strength: float = 0.75
    firstphase_width: int = 0
    firstphase_height: int = 0
    hr_scale: float = 2.0
    hr_upscaler: str = None
    hr_second_pass_steps: int = 0
    hr_resize_x: int = 0
    hr_resize_y: int = 0
    hr_checkpoint_name: str = None
    hr_sampler_name: str = None
    hr_scheduler: str = None
    hr_prompt: str = ""
    hr_negative_prompt: str = ""

    hr_upscale_to_x: int = field(default=0, init=False)
    hr_upscale_to_y: int = field(default=0, init=False)
    all_hr_prompts: list = field(default=None, init=False)
    all_hr_negative_prompts: list = field(default=None, init=False)
    hr_prompts: list = field(default=None, init=False)
    hr_negative_prompts: list = field(default=None, init=False)

    def calculate_target_resolution(self):
        if self.hr_resize_x == 0 and self.hr_resize_y == 0:
            self.extra_generation_params["Hires upscale"] = self.hr_scale
            self.hr_upscale_to_x = int(self.width * self.hr_scale)
            self.hr_upscale_to_y = int(self.height * self.hr_scale)
        else:
            self.extra_generation_params["Hires resize"] = f"{self.hr_resize_x}x{self.hr_resize_y}"
            self.hr_upscale_to_x = self.hr_resize_x or self.hr_resize_y * self.width // self.height
            self.hr_upscale_to_y = self.hr_resize_y or self.hr_resize_x * self.height // self.width

    def init(self, all_prompts, all_seeds, all_subseeds):
        if self.enable_hr:
            self.extra_generation_params["Denoising strength"] = self.denoising_strength
            if self.hr_sampler_name is not None and self.hr_sampler_name != self.sampler_name:
                self.extra_generation_params["Hires sampler"] = self.hr_sampler_name

            def get_hr_prompt(p, index, prompt_text, **kwargs):
                hr_prompt = p.all_hr_prompts[index]
                return hr_prompt if hr_prompt != prompt_text else None

            def get_hr_negative_prompt(p, index, negative_prompt, **kwargs):
                hr_negative_prompt = p.all_hr_negative_prompts[index]
                return hr_negative_prompt if hr_negative_prompt != negative_prompt else None

            self.extra_generation_params["Hires prompt"] = get_hr_prompt
            self.extra_generation_params["Hires negative prompt"] = get_hr_negative_prompt
            if self.hr_scheduler is None:
                self.hr_scheduler = self.scheduler
            self.calculate_target_resolution()
            if self.hr_second_pass_steps:
                self.extra_generation_params["Hires steps"] = self.hr_second_pass_steps

    def setup_prompts(self):
        super().setup_prompts()
        if not self.enable_hr:
            return
        if self.hr_prompt == "":
            self.hr_prompt = self.prompt
        if self.hr_negative_prompt == "":
            self.hr_negative_prompt = self.negative_prompt
        if isinstance(self.hr_prompt, list):
            self.all_hr_prompts = self.hr_prompt
        else:
            self.all_hr_prompts = self.batch_size * self.n_iter * [self.hr_prompt]
        if isinstance(self.hr_negative_prompt, list):
            self.all_hr_negative_prompts = self.hr_negative_prompt
        else:
            self.all_hr_negative_prompts = self.batch_size * self.n_iter * [self.hr_negative_prompt]
        self.all_hr_prompts = [shared.prompt_styles.apply_styles_to_prompt(x, self.styles) for x in self.all_hr_prompts]
        self.all_hr_negative_prompts = [
            shared.prompt_styles.apply_negative_styles_to_prompt(x, self.styles) for x in self.all_hr_negative_prompts
        ]

    def parse_extra_network_prompts(self):
        super().parse_extra_network_prompts()
        if self.enable_hr:
            lo, hi = self.iteration * self.batch_size, (self.iteration + 1) * self.batch_size
            self.hr_prompts = self.all_hr_prompts[lo:hi]
            self.hr_negative_prompts = self.all_hr_negative_prompts[lo:hi]
            self.hr_prompts, _ = parse_prompts(self.hr_prompts)

    def hr_cfg_used(self) -> float:
        return self.cfg_scale

    def sample(self):
        record = super().sample()
        if self.enable_hr:
            sd_samplers.create_sampler(self.hr_sampler_name or self.sampler_name, self.sd_model)
            record["hr_prompts"] = list(self.hr_prompts)
            record["hr_negatives"] = list(self.hr_negative_prompts)
            record["hr_target"] = (self.hr_upscale_to_x, self.hr_upscale_to_y)
            record["hr_cfg"] = self.hr_cfg_used()
            self.scripts and self.scripts.before_hr(self)
        return record


@dataclass(repr=False)
class StableDiffusionProcessingTxt2ImgReForge(StableDiffusionProcessingTxt2Img):
    """reForge main: a separate hires CFG; 0 follows cfg_scale (R: processing.py:1298, 1640-1654)."""

    hr_cfg: float = 1.0

    def hr_cfg_used(self) -> float:
        if self.hr_cfg == 0:
            self.hr_cfg = self.cfg_scale
        return self.hr_cfg


@dataclass(repr=False)
class StableDiffusionProcessingImg2Img(StableDiffusionProcessing):
    init_images: list = None
    resize_mode: int = 0
    denoising_strength: float = 0.75
    image_cfg_scale: float = None
    mask: Any = None
    inpainting_fill: int = 0

    def init(self, all_prompts, all_seeds, all_subseeds):
        self.extra_generation_params["Denoising strength"] = self.denoising_strength
        sd_samplers.create_sampler(self.sampler_name, self.sd_model)
        self.resized_to = (self.width, self.height)


class Processed:
    """``Processed`` (517-600): the fields tests read, and ``js()`` with ``default=lambda o: None``."""

    def __init__(self, p, images_list, seed=-1, info="", infotexts=None):
        self.images = images_list
        self.prompt = p.prompt
        self.negative_prompt = p.negative_prompt
        self.seed = seed
        self.info = info
        self.width = p.width
        self.height = p.height
        self.sampler_name = p.sampler_name
        self.cfg_scale = p.cfg_scale
        self.steps = p.steps
        self.extra_generation_params = p.extra_generation_params
        self.all_prompts = p.all_prompts or [self.prompt]
        self.all_negative_prompts = p.all_negative_prompts or [self.negative_prompt]
        self.all_seeds = p.all_seeds or [self.seed]
        self.infotexts = infotexts or [info] * len(images_list)

    def js(self):
        obj = {
            "prompt": self.all_prompts[0],
            "all_prompts": self.all_prompts,
            "negative_prompt": self.all_negative_prompts[0],
            "all_negative_prompts": self.all_negative_prompts,
            "extra_generation_params": self.extra_generation_params,
            "infotexts": self.infotexts,
        }
        return json.dumps(obj, default=lambda o: None)


def create_infotext(
    p,
    all_prompts,
    all_seeds,
    all_subseeds,
    comments=None,
    iteration=0,
    position_in_batch=0,
    use_main_prompt=False,
    index=None,
    all_negative_prompts=None,
):
    """705-816: the fixed keys, then ``**p.extra_generation_params``; lists indexed, callables called
    with ``**locals()``; ``k: quote(v)`` joined by ", ", None dropped, ``k`` alone when ``k == v``."""
    if use_main_prompt:
        index = 0
    elif index is None:
        index = position_in_batch + iteration * p.batch_size
    if all_negative_prompts is None:
        all_negative_prompts = p.all_negative_prompts
    prompt_text = p.main_prompt if use_main_prompt else all_prompts[index]
    negative_prompt = p.main_negative_prompt if use_main_prompt else all_negative_prompts[index]
    generation_params = {
        "Steps": p.steps,
        "Sampler": p.sampler_name,
        "Schedule type": p.scheduler,
        "CFG scale": p.cfg_scale,
        "Seed": p.all_seeds[0] if use_main_prompt else all_seeds[index],
        "Size": f"{p.width}x{p.height}",
        "Model hash": p.sd_model_hash if shared.opts.add_model_hash_to_info else None,
        "Model": p.sd_model_name if shared.opts.add_model_name_to_info else None,
        "Denoising strength": p.extra_generation_params.get("Denoising strength"),
        **p.extra_generation_params,
        "Version": "v1.10.1" if shared.opts.add_version_to_infotext else None,
    }
    for key, value in generation_params.items():
        try:
            if isinstance(value, list):
                generation_params[key] = value[index]
            elif callable(value):
                generation_params[key] = value(**locals())
        except Exception:
            generation_params[key] = None
    generation_params_text = ", ".join(
        [k if k == v else f"{k}: {infotext_utils.quote(v)}" for k, v in generation_params.items() if v is not None]
    )
    negative_prompt_text = f"\nNegative prompt: {negative_prompt}" if negative_prompt else ""
    return f"{prompt_text}{negative_prompt_text}\n{generation_params_text}".strip()


class ImageRNG:
    """Only its shape matters here: ``(C, height // 8, width // 8)`` (processing.py:949)."""

    def __init__(self, shape, seeds, **kwargs):
        self.shape = shape
        self.seeds = list(seeds)


def process_images(p: StableDiffusionProcessing) -> Processed:
    if p.scripts is not None:
        p.scripts.before_process(p)
    stored_opts = {k: getattr(shared.opts, k, None) for k in p.override_settings}
    try:
        for k, v in p.override_settings.items():
            shared.opts.set(k, v, is_api=True, run_callbacks=False)
        sd_samplers.fix_p_invalid_sampler_and_scheduler(p)
        res = process_images_inner(p)
    finally:
        if p.override_settings_restore_afterwards:
            for k, v in stored_opts.items():
                setattr(shared.opts, k, v)
    return res


def process_images_inner(p: StableDiffusionProcessing) -> Processed:
    p.sampled = []  # a fresh record per run: X/Y/Z cells are shallow copies sharing the old list
    seed = p.seed if p.seed != -1 else 1234
    subseed = p.subseed if p.subseed != -1 else 5678
    p.sd_model_name = shared.sd_model.sd_checkpoint_info.name_for_extra
    p.sd_model_hash = shared.sd_model.sd_model_hash
    p.setup_prompts()
    p.all_seeds = [int(seed) + x for x in range(len(p.all_prompts))]
    p.all_subseeds = [int(subseed) + x for x in range(len(p.all_prompts))]
    if p.scripts is not None:
        p.scripts.process(p)
    infotexts: list[str] = []
    output_images: list[FakeImage] = []
    p.init(p.all_prompts, p.all_seeds, p.all_subseeds)
    for n in range(p.n_iter):
        p.iteration = n
        lo, hi = n * p.batch_size, (n + 1) * p.batch_size
        p.prompts = p.all_prompts[lo:hi]
        p.negative_prompts = p.all_negative_prompts[lo:hi]
        p.seeds = p.all_seeds[lo:hi]
        p.subseeds = p.all_subseeds[lo:hi]
        p.rng = ImageRNG((4, p.height // 8, p.width // 8), p.seeds)
        if p.scripts is not None:
            p.scripts.before_process_batch(p, batch_number=n, prompts=p.prompts, seeds=p.seeds, subseeds=p.subseeds)
        if len(p.prompts) == 0:
            break
        p.parse_extra_network_prompts()
        if p.scripts is not None:
            p.scripts.process_batch(p, batch_number=n, prompts=p.prompts, seeds=p.seeds, subseeds=p.subseeds)
        p.setup_conds()
        record = p.sample()
        record["rng_shape"] = p.rng.shape
        p.sampled.append(record)
        images = [FakeImage(p.width, p.height) for _ in range(len(p.prompts))]
        if p.scripts is not None:
            p.scripts.postprocess_batch(p, images, batch_number=n)
            p.prompts = p.all_prompts[lo:hi]
            p.negative_prompts = p.all_negative_prompts[lo:hi]

        def infotext(index=0, use_main_prompt=False):
            return create_infotext(
                p,
                p.prompts,
                p.seeds,
                p.subseeds,
                use_main_prompt=use_main_prompt,
                index=index,
                all_negative_prompts=p.negative_prompts,
            )

        for i, image in enumerate(images):
            p.batch_index = i
            text = infotext(i)
            infotexts.append(text)
            image.info["parameters"] = text
            output_images.append(image)
    index_of_first_image = 0
    if shared.opts.return_grid and len(output_images) > 1:
        grid = FakeImage(p.width, p.height)
        text = infotext(use_main_prompt=True)
        infotexts.insert(0, text)
        grid.info["parameters"] = text
        output_images.insert(0, grid)
        index_of_first_image = 1
    res = Processed(p, output_images, p.all_seeds[0], infotexts[0] if infotexts else "", infotexts=infotexts)
    res.index_of_first_image = index_of_first_image
    if p.scripts is not None:
        p.scripts.postprocess(p, res)
    return res


def fix_seed(p):
    if p.seed == -1:
        p.seed = 1234
