"""Mirrors ``modules/shared.py`` + ``modules/options.py`` + ``modules/styles.py`` + ``modules/shared_state.py``.

- ``OptionInfo(default, label, component, component_args, ..., section, category_id)`` with
  chainable ``info``/``needs_reload_ui``/``link`` (A1111 ``modules/options.py:13-60``).
- ``options_section`` (options.py:68), ``Options.add_option``/``get_default``/``__getattr__``
  falling back to defaults (options.py:120-260).
- ``prompt_styles`` applies a style by replacing ``{prompt}`` or appending after ``", "``
  (``modules/styles.py:17-31``) and extracts styles found at the end (styles.py:34-79).
- ``state.xyz_plot_x/y/z`` are set by X/Y/Z (``scripts/xyz_grid.py:677``) and never cleared.
- ``sd_model``: in the host a lazy property that loads a model (shared_items.py:171); here a
  plain attribute tests set to a ``FakeModel``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


class OptionInfo:
    def __init__(
        self,
        default=None,
        label="",
        component=None,
        component_args=None,
        onchange=None,
        section=None,
        refresh=None,
        comment_before="",
        comment_after="",
        infotext=None,
        restrict_api=False,
        category_id=None,
    ):
        self.default = default
        self.label = label
        self.component = component
        self.component_args = component_args
        self.onchange = onchange
        self.section = section
        self.category_id = category_id
        self.refresh = refresh
        self.do_not_save = False
        self.comment_before = comment_before
        self.comment_after = comment_after
        self.infotext = infotext
        self.restrict_api = restrict_api

    def link(self, label, url):
        self.comment_before += f"[<a href='{url}' target='_blank'>{label}</a>]"
        return self

    def info(self, info):
        self.comment_after += f"<span class='info'>({info})</span>"
        return self

    def needs_reload_ui(self):
        self.comment_after += " <span class='info'>(requires Reload UI)</span>"
        return self


def options_section(section_identifier, options_dict):
    for v in options_dict.values():
        if len(section_identifier) == 2:
            v.section = section_identifier
        elif len(section_identifier) == 3:
            v.section = section_identifier[0:2]
            v.category_id = section_identifier[2]
    return options_dict


class Options:
    """Attribute access returns the stored value, else the registered default (options.py:132)."""

    def __init__(self, data_labels: dict[str, OptionInfo]):
        object.__setattr__(self, "data_labels", dict(data_labels))
        object.__setattr__(self, "data", {k: v.default for k, v in data_labels.items()})

    def __setattr__(self, key, value):
        self.data[key] = value

    def __getattr__(self, item):
        data = object.__getattribute__(self, "data")
        if item in data:
            return data[item]
        labels = object.__getattribute__(self, "data_labels")
        if item in labels:
            return labels[item].default
        raise AttributeError(f"'Options' object has no attribute '{item}'")

    def set(self, key, value, is_api=False, run_callbacks=True):
        self.data[key] = value
        return True

    def get_default(self, key):
        info = self.data_labels.get(key)
        return None if info is None else info.default

    def add_option(self, key, info):
        self.data_labels[key] = info
        if key not in self.data and not info.do_not_save:
            self.data[key] = info.default


def _builtin_options() -> dict[str, OptionInfo]:
    """The host options the double's pipeline reads, with the host's defaults."""
    return {
        "return_grid": OptionInfo(True),
        "add_model_hash_to_info": OptionInfo(True),
        "add_model_name_to_info": OptionInfo(True),
        "add_version_to_infotext": OptionInfo(True),
        "infotext_styles": OptionInfo("Apply if any"),
        "infotext_skip_pasting": OptionInfo([]),
        "hide_samplers": OptionInfo([]),
        "sd_model_checkpoint": OptionInfo(None),
        "use_old_hires_fix_width_height": OptionInfo(False),
        "enable_prompt_comments_def": OptionInfo(False),  # reForge "Save comments" (processing.py:1132)
    }


opts = Options(_builtin_options())


def reset_options() -> None:
    object.__setattr__(opts, "data_labels", _builtin_options())
    object.__setattr__(opts, "data", {k: v.default for k, v in opts.data_labels.items()})


class PromptStyles:
    def __init__(self, styles: dict[str, tuple[str, str]] | None = None):
        self.styles = dict(styles or {})

    @staticmethod
    def merge_prompts(style_prompt: str, prompt: str) -> str:
        if "{prompt}" in style_prompt:
            return style_prompt.replace("{prompt}", prompt)
        parts = filter(None, (prompt.strip(), style_prompt.strip()))
        return ", ".join(parts)

    def apply_styles_to_prompt(self, prompt, styles):
        for name in styles:
            prompt = self.merge_prompts(self.styles[name][0], prompt)
        return prompt

    def apply_negative_styles_to_prompt(self, prompt, styles):
        for name in styles:
            prompt = self.merge_prompts(self.styles[name][1], prompt)
        return prompt

    def extract_styles_from_prompt(self, prompt, negative_prompt):
        """Styles whose text ends the prompt (and negative), removed; styles.py:62-79, simplified to suffixes."""
        found = []
        for name, (positive, negative) in reversed(list(self.styles.items())):
            suffix_p, suffix_n = ", " + positive, ", " + negative
            p_ok = not positive or prompt.endswith(suffix_p)
            n_ok = not negative or negative_prompt.endswith(suffix_n)
            if p_ok and n_ok and (positive or negative):
                if positive:
                    prompt = prompt[: -len(suffix_p)]
                if negative:
                    negative_prompt = negative_prompt[: -len(suffix_n)]
                found.append(name)
        return list(reversed(found)), prompt, negative_prompt


prompt_styles = PromptStyles()

state = SimpleNamespace(interrupted=False, stopping_generation=False, skipped=False, job_count=-1)

cmd_opts = SimpleNamespace(api=False, nowebui=False)


class FakeModel:
    """What the pipeline reads from ``shared.sd_model`` (sd_models.py:379-401 flags, checkpoint info)."""

    def __init__(self, name: str = "animagine-xl-4.0-opt", is_sdxl: bool = True, filename: str | None = None):
        self.is_sdxl = is_sdxl
        self.is_sd1 = not is_sdxl
        self.sd_model_hash = "1449e5b0b9"
        self.sd_checkpoint_info = SimpleNamespace(
            name=name + ".safetensors",
            name_for_extra=name,
            title=f"{name}.safetensors [1449e5b0b9]",
            filename=filename or f"/models/{name}.safetensors",
        )


sd_model: Any = FakeModel()
