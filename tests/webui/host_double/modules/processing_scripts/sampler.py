"""Mirrors A1111 v1.10.1 ``modules/processing_scripts/sampler.py``: a ``ScriptBuiltinUI`` (so
``setup_for_ui_only``: skipped for API calls, scripts.py:989) whose ``setup`` sets ``p.steps``,
``p.sampler_name`` and ``p.scheduler`` from its own UI (line 42). It loads after every extension,
so in the UI it overwrites whatever an extension's ``setup`` set; ``before_process`` comes later."""

import gradio as gr

from modules import scripts, sd_samplers, sd_schedulers


class ScriptSampler(scripts.ScriptBuiltinUI):
    section = "sampler"

    def title(self):
        return "Sampler"

    def ui(self, is_img2img):
        sampler_names = [x.name for x in sd_samplers.all_samplers]
        scheduler_names = [x.label for x in sd_schedulers.schedulers]
        self.steps = gr.Slider(minimum=1, maximum=150, step=1, label="Sampling steps", value=20)
        self.sampler_name = gr.Radio(label="Sampling method", choices=sampler_names, value=sampler_names[0])
        self.scheduler = gr.Dropdown(label="Schedule type", choices=scheduler_names, value=scheduler_names[0])
        return self.steps, self.sampler_name, self.scheduler

    def setup(self, p, steps, sampler_name, scheduler):
        p.steps = steps
        p.sampler_name = sampler_name
        p.scheduler = scheduler
