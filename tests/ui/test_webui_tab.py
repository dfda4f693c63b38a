"""The WebUI wiring of the tab, against a stand-in for the host's modules.

Checks what the host will see: one tab titled "Animagine", four "Send to"
buttons registered the way the host's own are, the infotext they paste parsed
by a copy of the host's parser, and token counts taken from the loaded model
without loading one.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from animagine_prompt.presets import load_presets
from animagine_tab import TabContext
from animagine_tab import callbacks as cb
from animagine_webui import element_ids

HOST_DOUBLE = Path(__file__).resolve().parents[1] / "webui" / "host_double"


class Binding:
    def __init__(self, paste_button: Any, tabname: str, source_text_component: Any = None, **_: Any) -> None:
        self.paste_button = paste_button
        self.tabname = tabname
        self.source_text_component = source_text_component


@pytest.fixture()
def host(monkeypatch: pytest.MonkeyPatch, real_tagdb):
    """Fake ``modules.*`` the tab touches; returns (registered bindings, fake sd_models)."""
    bindings: list[Binding] = []
    paste = types.SimpleNamespace(ParamBinding=Binding, register_paste_params_button=bindings.append)
    sd_models = types.SimpleNamespace(model_data=types.SimpleNamespace(sd_model=None))
    extra_networks = types.SimpleNamespace(parse_prompt=lambda text: (text.replace("<lora:x:1>", "").strip(", "), {}))
    modules = types.ModuleType("modules")
    for name, module in {
        "infotext_utils": paste,
        "shared": types.SimpleNamespace(opts=None),
        "sd_models": sd_models,
        "extra_networks": extra_networks,
    }.items():
        setattr(modules, name, module)
        monkeypatch.setitem(sys.modules, f"modules.{name}", module)
    monkeypatch.setitem(sys.modules, "modules", modules)

    from animagine_webui import engine, tab

    monkeypatch.setattr(tab, "KNOWLEDGE_BASE", engine.KnowledgeBase(lambda: real_tagdb))
    monkeypatch.setattr(tab, "load_knowledge", lambda: real_tagdb)
    return bindings, sd_models


def test_on_ui_tabs_gives_one_tab_with_the_hosts_send_buttons(host):
    from animagine_webui.tab import on_ui_tabs

    bindings, _ = host
    tabs = on_ui_tabs()
    assert len(tabs) == 1
    blocks, title, elem_id = tabs[0]
    assert isinstance(blocks, gr.Blocks) and title == "Animagine" and elem_id == element_ids.TAB
    assert sorted((b.tabname, b.source_text_component.elem_id) for b in bindings) == [
        ("img2img", "animagine_b_infotext"),
        ("img2img", "animagine_infotext"),
        ("txt2img", "animagine_b_infotext"),
        ("txt2img", "animagine_infotext"),
    ]
    assert {b.paste_button.elem_id for b in bindings} >= {"animagine_formatter_send_txt2img"}


def test_sent_infotext_fills_prompt_negative_size_sampler_cfg_steps(real_tagdb):
    """Parsed by the host double's copy of ``parse_generation_parameters`` (tests/webui/host_double)."""
    if str(HOST_DOUBLE) not in sys.path:
        sys.path.insert(0, str(HOST_DOUBLE))
    from modules import infotext_utils  # the host double's

    session = cb.TabSession(TabContext(load_db=lambda: real_tagdb, presets=load_presets()))
    panel = ("animagine-xl-4.0", "1216 × 832 (19:13)", 6, 27, cb.default_flags(), None, None)
    view = cb.run_format(session, "smile, hatsune_miku, 1girl", "", *panel)
    params = infotext_utils.parse_generation_parameters(view.infotext, [])
    assert params["Prompt"] == view.result.prompt and params["Prompt"].startswith("1girl, hatsune miku")
    assert params["Negative prompt"] == view.result.negative_prompt != ""
    assert (str(params["Size-1"]), str(params["Size-2"])) == ("1216", "832")
    assert (params["Sampler"], params["Schedule type"]) == ("Euler a", "Automatic")
    assert (str(params["CFG scale"]), str(params["Steps"])) == ("6", "27")


def test_token_counter_uses_the_loaded_model_only(host):
    from animagine_webui.tab import count_tokens

    _, sd_models = host
    assert count_tokens("1girl, smile") is None  # nothing loaded: never load a model just to count

    seen: list[str] = []

    class Cond:
        def process_texts(self, texts: list[str]) -> tuple[list[Any], int]:
            seen.extend(texts)
            return [], 42

    sd_models.model_data.sd_model = types.SimpleNamespace(cond_stage_model=Cond())
    assert count_tokens("1girl, smile, <lora:x:1>") == 42
    assert seen == ["1girl, smile"]  # extra networks stripped, as the host's counter does


def test_send_to_txt2img_turns_the_accordion_on_with_the_tabs_preset(real_tagdb):
    """The sent infotext, parsed by the host double's parser and read back by the script's own paste
    readers (what the host does with ``infotext_fields`` on "Send to"), switches formatting on."""
    if str(HOST_DOUBLE) not in sys.path:
        sys.path.insert(0, str(HOST_DOUBLE))
    from modules import infotext_utils  # the host double's

    from animagine_webui.args import parse_args
    from animagine_webui.infotext import paste_readers

    session = cb.TabSession(TabContext(load_db=lambda: real_tagdb, presets=load_presets()))
    panel = ("animagine-xl-3.1", "896 × 1152 (7:9)", 7, 30, cb.default_flags(), None, "sensitive")
    view = cb.run_format(session, "smile, 1girl", "", *panel)
    params = infotext_utils.parse_generation_parameters(view.infotext, [])
    values = [read(params) for read in paste_readers(lambda name: name)]
    args = parse_args(values)
    assert args.enabled and args.preset == "animagine-xl-3.1" and not args.problems
    assert args.locks == ("sampler", "cfg", "size")  # 30 steps is the user's choice, not the preset's 28
    assert args.rating == "sensitive" and args.inject_negative
