"""The accordion's components, the Settings entries, auto-enable and the shim's loading."""

from __future__ import annotations

import json
import struct
import sys

import gradio as gr
from modules import script_callbacks, scripts, sd_models, shared
from modules.ui_components import InputAccordion
from support.gradio_events import choice_values, listeners

from animagine_prompt.options import Placement
from animagine_prompt.presets import get_preset
from animagine_webui import auto_enable, element_ids
from animagine_webui.args import ARG_NAMES, ScriptArgs, parse_args
from animagine_webui.model_detect import checkpoint_is_animagine, is_animagine, safetensors_title
from animagine_webui.settings import DEFAULTS, SECTION, read_settings
from animagine_webui.summary import lock_labels, summary_text


def ours(runner):
    return runner.script("Animagine XL")


def test_one_alwaysvisible_script_with_the_documented_argument_order(host):
    for runner, tab in ((scripts.scripts_txt2img, "txt2img"), (scripts.scripts_img2img, "img2img")):
        script = ours(runner)
        assert script in runner.alwayson_scripts and script.title() == "Animagine XL"
        controls = script.controls
        assert len(controls) == len(ARG_NAMES) == script.args_to - script.args_from
        assert isinstance(controls[0], InputAccordion) and controls[0].value is False
        assert controls[0].accordion_id == element_ids.accordion(tab)
        assert [c.value for c in controls[1:]] == ["animagine-xl-4.0", True, True, True, True, True, "none"]
        assert set(choice_values(controls[1])) >= {"animagine-xl-4.0", "animagine-xl-3.1"}
        assert "Euler a" in controls[2].label and "5" in controls[3].label and "28" in controls[4].label
    assert [d.script_class.__name__ for d in scripts.scripts_data].count("AnimagineScript") == 1


def test_settings_are_registered_in_their_own_section_and_change_the_defaults(host):
    keys = [k for k in shared.opts.data_labels if k.startswith("animagine_")]
    assert set(keys) == set(DEFAULTS)
    assert all(shared.opts.data_labels[k].section == SECTION for k in keys)
    shared.opts.animagine_default_locks = ["cfg"]
    shared.opts.animagine_default_preset = "animagine-xl-3.1"
    shared.opts.animagine_default_inject_negative = False
    with gr.Blocks():
        controls = ours(scripts.scripts_txt2img).ui(False)
    assert [c.value for c in controls] == [False, "animagine-xl-3.1", False, True, False, False, False, "none"]
    assert "7" in controls[3].label  # the 3.1 preset's CFG


def test_settings_snapshot_tolerates_bad_values():
    opts = type(
        "Opts",
        (),
        {"animagine_placement": "at the end, before the quality tags", "animagine_default_locks": "cfg+size"},
    )()
    settings = read_settings(opts)
    assert settings.placement is Placement.BEFORE_QUALITY
    assert settings.default_locks == ("cfg", "size")
    assert read_settings(None).replace_underscores is True


def test_parse_args_handles_api_spellings():
    assert parse_args([]) == ScriptArgs()
    assert parse_args(["true", "3.1", "0", None, "False", 1, "off", "EXPLICIT"]) == ScriptArgs(
        enabled=True,
        preset="3.1",
        lock_sampler=False,
        lock_cfg=True,
        lock_steps=False,
        lock_size=True,
        inject_negative=False,
        rating="explicit",
    )


def test_summary_says_what_will_change():
    preset = get_preset("animagine-xl-4.0")
    assert summary_text(ScriptArgs(), preset).startswith("Off")
    on = summary_text(ScriptArgs(enabled=True, rating="safe", lock_steps=False), preset)
    assert "Euler a" in on and "CFG 5" in on and "28 steps" not in on and "'safe'" in on
    assert lock_labels(get_preset("animagine-xl-3.1"))["cfg"] == "Lock CFG (7)"


def _safetensors(path, title):
    header = json.dumps({"__metadata__": {"modelspec.title": title}}).encode()
    path.write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * 16)
    return path


def test_checkpoint_detection_by_name_and_metadata(tmp_path):
    assert is_animagine("animagineXL40_v4Opt.safetensors")
    plain = _safetensors(tmp_path / "model_a.safetensors", "Animagine XL 4.0 Opt")
    other = _safetensors(tmp_path / "model_b.safetensors", "Pony")
    assert safetensors_title(plain) == "Animagine XL 4.0 Opt"
    assert is_animagine("model_a", str(plain)) and not is_animagine("model_b", str(other))
    assert not is_animagine("broken", str(tmp_path / "missing.safetensors"))


def test_auto_enable_follows_the_checkpoint_dropdown(host, tmp_path):
    info = sd_models.add_checkpoint(
        "mymodel.safetensors", str(_safetensors(tmp_path / "m.safetensors", "Animagine XL 4.0"))
    )
    assert checkpoint_is_animagine(info.title)
    assert not checkpoint_is_animagine("sd_xl_base_1.0.safetensors [31e35c80fc]")
    dropdown = host.checkpoint_dropdown._id
    events = listeners(host.blocks)
    deps = [e for e in events if e.fires_on(dropdown, "change")]
    assert deps, "no change event on the checkpoint dropdown"
    loads = [e for e in events if any(t == "load" for _, t in e.targets) and dropdown in e.inputs]
    assert loads, "no page-load event reading the checkpoint dropdown"
    fn = deps[0].fn
    # both tabs' accordions, then both tabs' preset dropdowns
    assert [u["value"] for u in fn(info.title)] == [True, True, "animagine-xl-4.0", "animagine-xl-4.0"]
    base = fn("sd_xl_base_1.0.safetensors [31e35c80fc]")
    assert [u.get("value") for u in base] == [False, False, None, None]  # the user's preset is left alone
    pony = sd_models.add_checkpoint("ponyDiffusionV6XL_v6StartWithThisOne.safetensors", str(tmp_path / "p.safetensors"))
    assert [u.get("value") for u in fn(pony.title)] == [False, False, "pony-diffusion-v6-xl", "pony-diffusion-v6-xl"]
    shared.opts.animagine_auto_enable = False
    assert ["value" in u for u in fn(info.title)] == [False, False, False, False]
    outputs = set(deps[0].outputs)
    txt, img = ours(scripts.scripts_txt2img), ours(scripts.scripts_img2img)
    assert {txt.controls[0]._id, img.controls[0]._id, txt.controls[1]._id, img.controls[1]._id} <= outputs
    assert auto_enable.on_checkpoint_change(info.title, enabled=True, is_animagine=checkpoint_is_animagine) is True
    assert auto_enable.on_checkpoint_change("sdxl [1]", enabled=True, is_animagine=checkpoint_is_animagine) is False
    assert auto_enable.on_checkpoint_change(info.title, enabled=False, is_animagine=checkpoint_is_animagine) is None
    assert auto_enable.on_page_load("sdxl [1]", enabled=True, is_animagine=checkpoint_is_animagine) is None


def test_reloading_the_shim_registers_each_callback_once_and_restores_sys_path(host):
    path_before = list(sys.path)
    host.load()
    host.load()  # "Reload UI" clears callbacks and re-executes script files
    assert sys.path == path_before
    for name in ("callbacks_ui_settings", "callbacks_infotext_pasted", "callbacks_before_ui", "callbacks_app_started"):
        assert len(script_callbacks.callback_map[name]) == 1, name


def test_summary_and_lock_labels_follow_the_controls(host):
    script = ours(scripts.scripts_txt2img)
    preset_id = script.controls[1]._id
    deps = [e for e in listeners(host.blocks) if e.fires_on(preset_id, "change")]
    summary = next(e.fn for e in deps if len(e.outputs) == 1)
    relabel = next(e.fn for e in deps if len(e.outputs) == 3)
    html = summary(True, "animagine-xl-3.1", True, True, False, True, True, "safe")
    assert "CFG 7" in html and "28 steps" not in html and "rating &#x27;safe&#x27;" in html
    assert summary(False, "animagine-xl-3.1", True, True, True, True, True, "none").find("Off") >= 0
    labels = [u["label"] for u in relabel("animagine-xl-3.1")]
    assert labels == ["Lock sampler (Euler a / Automatic)", "Lock CFG (7)", "Lock steps (28)"]


def test_the_animagine_tab_is_registered_and_built(host):
    import gradio as gr

    from animagine_webui import element_ids

    host.load()
    tabs = script_callbacks.ui_tabs_callback()
    ours = [(blocks, title, elem_id) for blocks, title, elem_id in tabs if elem_id == element_ids.TAB]
    assert len(ours) == 1
    blocks, title, _ = ours[0]
    assert title == "Animagine" and isinstance(blocks, gr.Blocks)
    from modules import infotext_utils

    targets = {b.tabname for b in infotext_utils.registered_param_bindings}
    assert targets == {"txt2img", "img2img"}  # the tab's "Send to" buttons use the host's own mechanism
