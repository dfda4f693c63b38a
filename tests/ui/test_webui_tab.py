"""The WebUI wiring of the tab, against the one host double (tests/webui/host_double).

Checks what the host will see: one tab titled "Animagine", four "Send to"
buttons registered the way the host's own are, the infotext they paste parsed
by the double's parser, token counts taken from the loaded model without
loading one, and a tab built without loading the tag database.
"""

from __future__ import annotations

import re
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


@pytest.fixture()
def host(monkeypatch: pytest.MonkeyPatch, real_tagdb):
    """The host double's ``modules`` (tests/webui/host_double); returns (registered bindings, its sd_models)."""
    monkeypatch.syspath_prepend(str(HOST_DOUBLE))
    for name in [m for m in sys.modules if m == "modules" or m.startswith("modules.")]:
        if not str(getattr(sys.modules[name], "__file__", "") or "").startswith(str(HOST_DOUBLE)):
            monkeypatch.delitem(sys.modules, name)
    from modules import infotext_utils, sd_models

    monkeypatch.setattr(infotext_utils, "registered_param_bindings", [])
    monkeypatch.setattr(sd_models, "model_data", types.SimpleNamespace(sd_model=None))

    from animagine_webui import engine, tab

    monkeypatch.setattr(tab, "KNOWLEDGE_BASE", engine.KnowledgeBase(lambda: real_tagdb))
    monkeypatch.setattr("animagine_prompt.knowledge.load_knowledge", lambda: real_tagdb)
    return infotext_utils.registered_param_bindings, sd_models


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


def test_the_tab_starts_in_the_comment_dialect_the_host_strips(host, monkeypatch):
    """The host's own strip_comments decides: A1111's (the double's) keeps ``//``, a reForge-like one cuts it."""
    from modules import shared
    from modules.processing_scripts import comments

    from animagine_webui import tab

    assert tab.make_context().dialect == "a1111"
    monkeypatch.setitem(shared.opts.data, "enable_prompt_comments", False)
    assert tab.make_context().dialect == "plain"

    def strip_like_reforge(text: str) -> str:
        return re.sub(r"#[^\n]*|//[^\n]*", "", text)

    monkeypatch.setattr(comments, "strip_comments", strip_like_reforge)
    assert tab.make_context().dialect == "reforge"


def test_building_the_tab_does_not_load_the_tag_database(host, monkeypatch, real_tagdb):
    """The host's start must not wait for the tag database: on_app_started loads it in the background."""
    from animagine_webui import engine, tab

    loads: list[int] = []
    kb = engine.KnowledgeBase(lambda: loads.append(1) or real_tagdb)
    monkeypatch.setattr(tab, "KNOWLEDGE_BASE", kb)
    assert len(tab.on_ui_tabs()) == 1
    assert loads == [] and not kb.ready
    kb.load_in_background()
    kb._thread.join(10)
    assert loads == [1] and kb.ready
    kb.load_in_background()  # once loaded, never again
    assert loads == [1]


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
    assert seen == ["1girl, smile, "]  # the tag stripped, its comma kept: what the host counts


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
