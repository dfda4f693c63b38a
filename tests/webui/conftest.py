"""Drive the real ``scripts/animagine_xl.py`` through the host double in ``host_double/``.

``host`` loads the shim the way the WebUI does (``modules.scripts.load_scripts``), runs the
``on_ui_settings`` / ``on_before_ui`` callbacks, builds both tabs' UIs with real gradio 3.41
components, and offers ``txt2img``/``img2img`` helpers that build ``p`` like ``modules/txt2img.py``
(``p.scripts`` then ``p.script_args`` -> ``setup``) and run ``process_images``.

The engine is replaced per test where a test needs a visible rewrite (``fake_engine``), because
the lead's engine may still be a placeholder that returns the prompt unchanged; tests that use
the real engine compare against ``format_prompt`` called directly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DOUBLE = HERE / "host_double"
if str(DOUBLE) not in sys.path:
    sys.path.insert(0, str(DOUBLE))

import gradio as gr  # noqa: E402
from modules import (  # noqa: E402
    errors,
    paths,
    processing,
    script_callbacks,
    scripts,
    sd_models,
    shared,
)

from animagine_prompt.categories import Category  # noqa: E402
from animagine_prompt.result import FormatResult, GenerationSettings  # noqa: E402
from animagine_prompt.tagdb_protocol import TagInfo  # noqa: E402
from animagine_webui import engine as adapter_engine  # noqa: E402
from animagine_webui.args import ARG_NAMES  # noqa: E402

SHIM = REPO / "scripts" / "animagine_xl.py"
XYZ = DOUBLE / "scripts" / "xyz_grid.py"
COMMENTS = DOUBLE / "modules" / "processing_scripts" / "comments.py"
SAMPLER = DOUBLE / "modules" / "processing_scripts" / "sampler.py"


class TinyTags:
    """A handful of tags, enough for the engine to classify something."""

    TABLE = {
        "1girl": Category.PEOPLE,
        "hatsune miku": Category.CHARACTER,
        "vocaloid": Category.COPYRIGHT,
        "smile": Category.GENERAL,
        "long hair": Category.GENERAL,
        "safe": Category.RATING,
        "masterpiece": Category.QUALITY,
        "absurdres": Category.META,
    }

    def lookup(self, text: str) -> TagInfo | None:
        key = text.strip().lower().replace("_", " ")
        cat = self.TABLE.get(key)
        return None if cat is None else TagInfo(key, cat, "test")

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        return []


def fake_format(
    prompt, *, db, preset, options, negative="", width=None, height=None, cfg_scale=None, steps=None, **engine_kw
):
    """A deterministic, idempotent stand-in for the engine: quality suffix last, rating, negative injection.

    Whole-line ``#`` comments are kept, after the tags, like the engine keeps comment lines.
    """
    lines = prompt.split("\n")
    comments = [line for line in lines if line.lstrip().startswith("#")]
    prompt = ",".join(line for line in lines if not line.lstrip().startswith("#"))
    tags = [t.strip() for t in prompt.split(",") if t.strip()]
    suffix = list(preset.quality_suffix) if options.append_quality else []
    tags = [t for t in tags if t not in suffix]
    if options.rating and options.rating not in tags:
        tags.insert(min(1, len(tags)), options.rating)
    neg = [t.strip() for t in negative.split(",") if t.strip()]
    if options.inject_negative:
        neg += [t for t in preset.negative if t not in neg]
    w, h = (width, height) if width and height else preset.default_resolution
    return FormatResult(
        prompt="\n".join([", ".join(tags + suffix), *comments]),
        negative_prompt=", ".join(neg),
        settings=GenerationSettings(preset.sampler_name, preset.scheduler, preset.cfg_scale, preset.steps, w, h),
    )


class Host:
    """The WebUI as the adapter sees it, built from the double."""

    def __init__(self) -> None:
        self.blocks: Any = None
        self.checkpoint_dropdown: Any = None

    # -- setup ---------------------------------------------------------------------------
    def load(self, extra_script_files: list[scripts.ScriptFile] = (), *, api_only: bool = False) -> None:
        """Load the scripts, then run the UI-time callbacks in the host's order.

        With the UI (A1111 ``webui.py`` ``webui()``): ``before_ui`` then ``create_ui`` (which
        fires ``ui_settings``). ``api_only`` (``--nowebui``): nothing runs yet; ``Api.__init__``
        builds the UI for its default script args before ``before_ui`` (call ``finish_api_start``).
        """
        files = [scripts.ScriptFile(paths.script_path, "xyz_grid.py", str(XYZ))]
        files.append(scripts.ScriptFile(str(REPO), "animagine_xl.py", str(SHIM)))
        files += list(extra_script_files)
        for path in (COMMENTS, SAMPLER):  # modules/processing_scripts load after every extension
            files.append(scripts.ScriptFile(paths.script_path, path.name, str(path)))
        scripts.load_scripts(files)
        if api_only:
            return
        script_callbacks.before_ui_callback()
        script_callbacks.ui_settings_callback()

    def build_ui(self, *, forge: bool = False) -> None:
        """``forge``: the checkpoint picker as Forge main builds it. Its quicksettings option is a
        ``gr.State`` "(Managed by Forge)" (shared_options.py:173, ui_settings.py:45-46); the dropdown
        users pick from is ``main_entry.ui_checkpoint`` (modules_forge/main_entry.py:69-74: label
        "Checkpoint", ``elem_classes=['model_selection']``, no elem_id), made in the quicksettings row
        after both tabs (ui.py:285, 551, 977); every component's constructor arguments reach
        ``after_component_callback`` (gradio_extensions.py:40)."""
        with gr.Blocks() as self.blocks:
            for runner, is_img2img in ((scripts.scripts_txt2img, False), (scripts.scripts_img2img, True)):
                scripts.scripts_current = runner
                runner.initialize_scripts(is_img2img)
                runner.setup_ui()
            scripts.scripts_current = None  # modules/ui.py:869, before settings and quicksettings
            if forge:
                kwargs = {"label": "Checkpoint", "elem_classes": ["model_selection"]}
                self.checkpoint_dropdown = gr.Dropdown(choices=[i.name for i in sd_models.checkpoints_list.values()],
                                                       **kwargs)
                script_callbacks.after_component_callback(self.checkpoint_dropdown, **kwargs)
                return
            self.checkpoint_dropdown = gr.Dropdown(
                label="Stable Diffusion checkpoint",
                choices=list(sd_models.checkpoints_list),
                elem_id="setting_sd_model_checkpoint",
            )
            script_callbacks.after_component_callback(self.checkpoint_dropdown, elem_id="setting_sd_model_checkpoint")

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def script(runner: scripts.ScriptRunner) -> Any:
        return runner.script("Animagine XL")

    def args(self, runner: scripts.ScriptRunner, animagine: dict[str, Any] | None = None) -> list[Any]:
        """The UI's untouched values, with our script's arguments replaced by name."""
        values = runner.default_args()
        ours = self.script(runner)
        for name, value in (animagine or {}).items():
            values[ours.args_from + ARG_NAMES.index(name)] = value
        return values

    def make_p(self, cls: type, runner: scripts.ScriptRunner, animagine: dict[str, Any] | None, **fields: Any) -> Any:
        """Like ``txt2img_create_processing``: p from the main fields; steps and sampler come from the
        built-in Sampler script's UI values, which its ``setup`` copies onto p (UI runs only)."""
        fields.setdefault("sampler_name", "DPM++ 2M")
        fields.setdefault("scheduler", "Karras")
        fields.setdefault("steps", 20)
        fields.setdefault("cfg_scale", 7.0)
        values = self.args(runner, animagine)
        sampler = runner.script("Sampler")
        values[sampler.args_from : sampler.args_to] = [fields["steps"], fields["sampler_name"], fields["scheduler"]]
        ui_only = {k: v for k, v in fields.items() if k not in ("steps", "sampler_name", "scheduler")}
        p = cls(**ui_only)
        p.scripts = runner
        p.script_args = tuple(values)
        return p

    def txt2img(self, prompt: str, animagine: dict[str, Any] | None = None, *, cls=None, **fields: Any) -> Any:
        cls = cls or processing.StableDiffusionProcessingTxt2Img
        p = self.make_p(cls, scripts.scripts_txt2img, animagine, prompt=prompt, **fields)
        return p, processing.process_images(p)

    def img2img(self, prompt: str, animagine: dict[str, Any] | None = None, **fields: Any) -> Any:
        p = self.make_p(
            processing.StableDiffusionProcessingImg2Img, scripts.scripts_img2img, animagine, prompt=prompt, **fields
        )
        return p, processing.process_images(p)


@pytest.fixture
def host(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Host:
    shared.reset_options()
    shared.prompt_styles = shared.PromptStyles()
    shared.sd_model = shared.FakeModel()
    for attr in ("xyz_plot_x", "xyz_plot_y", "xyz_plot_z"):
        if hasattr(shared.state, attr):
            delattr(shared.state, attr)
    sd_models.checkpoints_list.clear()
    errors.reported.clear()
    scripts.scripts_txt2img = scripts.ScriptRunner()
    scripts.scripts_img2img = scripts.ScriptRunner()
    monkeypatch.setattr(adapter_engine.PRESETS, "user_file", tmp_path / "presets.toml")
    adapter_engine.KNOWLEDGE_BASE.set_loader(TinyTags)
    h = Host()
    h.load()
    h.build_ui()
    yield h
    scripts.scripts_data.clear()
    script_callbacks.clear_callbacks()


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(adapter_engine, "format_prompt", fake_format)
    return fake_format
