"""Mirrors the parts of A1111 v1.10.1 ``scripts/xyz_grid.py`` that extensions and cells touch.

- ``apply_field``, ``apply_size`` (30-34, 109-117), ``boolean_choice`` (163-167), ``AxisOption``
  with ``(label, type, apply, format_value, confirm, cost, choices, prepare)`` (214-235) and the
  ``AxisOptionTxt2Img``/``Img2Img`` subclasses carrying ``is_img2img``.
- ``axis_options`` (238-284): the subset of host axes over fields Animagine locks.
- ``Script.ui`` filters options like line 420 and returns x/y/z type (``type="index"``) and values
  in the host's first nine argument positions; ``run`` parses comma-separated values, calls
  ``confirm``, sets ``state.xyz_plot_x/y/z`` (677-679), then per cell ``pc = copy(p)``,
  ``pc.styles = pc.styles[:]``, ``apply`` for x, y, z and ``process_images(pc)`` (707-728); the
  first cell's ``pc.extra_generation_params`` is copied for the grid infotext (734-764).
"""

from collections import namedtuple
from copy import copy

import gradio as gr
import modules.scripts as scripts
from modules import processing, shared
from modules.processing import Processed, process_images

AxisInfo = namedtuple("AxisInfo", ["axis", "values"])


def apply_field(field):
    def fun(p, x, xs):
        setattr(p, field, x)

    return fun


def apply_size(p, x, xs):
    width, _, height = x.partition("x")
    p.width = int(width.strip())
    p.height = int(height.strip())


def boolean_choice(reverse=False):
    def choice():
        return ["False", "True"] if reverse else ["True", "False"]

    return choice


def do_nothing(p, x, xs):
    pass


def format_value_add_label(p, opt, x):
    return f"{opt.label}: {x}"


class AxisOption:
    def __init__(
        self,
        label,
        type,
        apply,
        format_value=format_value_add_label,
        confirm=None,
        cost=0.0,
        choices=None,
        prepare=None,
    ):
        self.label = label
        self.type = type
        self.apply = apply
        self.format_value = format_value
        self.confirm = confirm
        self.cost = cost
        self.prepare = prepare
        self.choices = choices


class AxisOptionImg2Img(AxisOption):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_img2img = True


class AxisOptionTxt2Img(AxisOption):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_img2img = False


axis_options = [
    AxisOption("Nothing", str, do_nothing),
    AxisOption("Seed", int, apply_field("seed")),
    AxisOption("Steps", int, apply_field("steps")),
    AxisOption("CFG Scale", float, apply_field("cfg_scale")),
    AxisOption("Prompt S/R", str, do_nothing),
    AxisOptionTxt2Img("Sampler", str, apply_field("sampler_name")),
    AxisOptionImg2Img("Sampler", str, apply_field("sampler_name")),
    AxisOption("Schedule type", str, apply_field("scheduler")),
    AxisOption("Size", str, apply_size),
]


class Script(scripts.Script):
    def title(self):
        return "X/Y/Z plot"

    def ui(self, is_img2img):
        self.current_axis_options = [x for x in axis_options if type(x) is AxisOption or x.is_img2img == is_img2img]
        labels = [x.label for x in self.current_axis_options]
        x_type = gr.Dropdown(label="X type", choices=labels, value=labels[1], type="index")
        x_values = gr.Textbox(label="X values")
        x_values_dropdown = gr.Dropdown(label="X values", multiselect=True)
        y_type = gr.Dropdown(label="Y type", choices=labels, value=labels[0], type="index")
        y_values = gr.Textbox(label="Y values")
        y_values_dropdown = gr.Dropdown(label="Y values", multiselect=True)
        z_type = gr.Dropdown(label="Z type", choices=labels, value=labels[0], type="index")
        z_values = gr.Textbox(label="Z values")
        z_values_dropdown = gr.Dropdown(label="Z values", multiselect=True)
        return [
            x_type,
            x_values,
            x_values_dropdown,
            y_type,
            y_values,
            y_values_dropdown,
            z_type,
            z_values,
            z_values_dropdown,
        ]

    def run(self, p, x_type, x_values, x_values_dropdown, y_type, y_values, y_values_dropdown, z_type, z_values, *rest):
        processing.fix_seed(p)

        def process_axis(opt, vals):
            if opt.label == "Nothing":
                return [0]
            valslist = [opt.type(v.strip()) for v in str(vals).split(",") if v.strip()]
            if opt.confirm:
                opt.confirm(p, valslist)
            return valslist

        x_opt = self.current_axis_options[x_type or 0]
        y_opt = self.current_axis_options[y_type or 0]
        z_opt = self.current_axis_options[z_type or 0]
        xs, ys, zs = process_axis(x_opt, x_values), process_axis(y_opt, y_values), process_axis(z_opt, z_values)
        shared.state.xyz_plot_x = AxisInfo(x_opt, xs)
        shared.state.xyz_plot_y = AxisInfo(y_opt, ys)
        shared.state.xyz_plot_z = AxisInfo(z_opt, zs)

        results, cells, grid_infotext = [], [], None
        for z in zs:
            for y in ys:
                for x in xs:
                    pc = copy(p)
                    pc.styles = pc.styles[:]
                    x_opt.apply(pc, x, xs)
                    y_opt.apply(pc, y, ys)
                    z_opt.apply(pc, z, zs)
                    res = process_images(pc)
                    if grid_infotext is None:
                        pc.extra_generation_params = copy(pc.extra_generation_params)
                        pc.extra_generation_params["Script"] = self.title()
                        grid_infotext = processing.create_infotext(pc, pc.all_prompts, pc.all_seeds, pc.all_subseeds)
                    results.append(res)
                    cells.append(pc)
        self.cells = cells
        out = Processed(
            p, [r.images[0] for r in results], p.seed, grid_infotext, infotexts=[r.infotexts[0] for r in results]
        )
        out.grid_infotext = grid_infotext
        return out
