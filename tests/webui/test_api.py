"""HTTP API: alwayson args give the UI's result; defaults leave requests alone; the format route."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from modules import errors, script_callbacks, scripts
from modules.api.api import Api, HTTPException

from animagine_prompt.formatter import format_prompt
from animagine_prompt.options import FormatOptions
from animagine_prompt.presets import get_preset
from animagine_webui import engine as adapter_engine
from animagine_webui.args import ARG_NAMES
from animagine_webui.element_ids import FORMAT_ROUTE
from animagine_webui.settings import DEFAULTS

REQUEST = {
    "prompt": "1girl, smile",
    "negative_prompt": "",
    "sampler_name": "DPM++ 2M",
    "scheduler": "Karras",
    "steps": 20,
    "cfg_scale": 7.0,
    "width": 1000,
    "height": 600,
    "batch_size": 2,
}


def test_api_defaults_come_from_ui_and_are_off(host):
    api = Api()
    script = scripts.scripts_txt2img.script("Animagine XL")
    defaults = api.default_script_arg_txt2img[script.args_from : script.args_to]
    assert dict(zip(ARG_NAMES, defaults)) == {
        "enabled": False,
        "preset": DEFAULTS["animagine_default_preset"],
        "lock_sampler": True,
        "lock_cfg": True,
        "lock_steps": True,
        "lock_size": True,
        "inject_negative": True,
        "rating": "none",
    }


def test_api_call_that_does_not_name_the_script_is_untouched(host, fake_engine):
    res = Api().text2imgapi(dict(REQUEST))
    assert res.all_prompts == ["1girl, smile"] * 2
    assert (res.sampler_name, res.width, res.height, res.cfg_scale) == ("DPM++ 2M", 1000, 600, 7.0)
    assert "Animagine" not in res.js()


def test_api_alwayson_args_match_the_ui(host, fake_engine):
    chosen = {"enabled": True, "rating": "safe", "lock_cfg": False}
    ui_p, ui_res = host.txt2img(REQUEST["prompt"], chosen, **{k: v for k, v in REQUEST.items() if k != "prompt"})
    args = [chosen.get(name) for name in ARG_NAMES]  # None = "not given" -> default
    args[1] = "4.0"  # the short preset spelling API users type
    req = dict(REQUEST, alwayson_scripts={"animagine xl": {"args": args}})
    api_res = Api().text2imgapi(req)
    assert api_res.all_prompts == ui_p.all_prompts
    assert api_res.all_negative_prompts == ui_p.all_negative_prompts
    assert api_res.infotexts == ui_res.infotexts
    assert (api_res.width, api_res.height, api_res.cfg_scale) == (ui_p.width, ui_p.height, 7.0)


def test_api_string_false_does_not_enable(host, fake_engine):
    req = dict(REQUEST, alwayson_scripts={"Animagine XL": {"args": ["False"]}})
    assert Api().text2imgapi(req).all_prompts == ["1girl, smile"] * 2


def test_api_img2img(host, fake_engine):
    req = dict(REQUEST, init_images=[object()], alwayson_scripts={"Animagine XL": {"args": [True]}})
    res = Api().img2imgapi(req)
    suffix = ", ".join(get_preset("animagine-xl-4.0").quality_suffix)
    assert all(p.endswith(suffix) for p in res.all_prompts)
    assert (res.width, res.height) == (1344, 768)


def test_unknown_preset_through_the_api_leaves_the_prompt_and_says_why(host, fake_engine, capsys):
    req = dict(REQUEST, alwayson_scripts={"Animagine XL": {"args": [True, "animagine-xl-9"]}})
    res = Api().text2imgapi(req)
    assert res.all_prompts == ["1girl, smile"] * 2
    assert "unknown preset" in res.infotexts[1]
    assert capsys.readouterr().out.count("[Animagine XL]") == 1


def test_script_info_lists_our_arguments_as_the_hosts_pydantic_models_take_them(host):
    # /sdapi/v1/script-info is how API clients learn the argument order; a control pydantic cannot
    # take (a label that is not text, choices that are not strings under pydantic 2) fails the UI.
    info = [s for s in Api().get_script_info() if s["name"] == "animagine xl"]
    assert [s["is_img2img"] for s in info] == [False, True] and all(s["is_alwayson"] for s in info)
    args = info[0]["args"]
    assert len(args) == len(ARG_NAMES) and args[0]["value"] is False
    assert args[1]["value"] == DEFAULTS["animagine_default_preset"]
    assert {"animagine-xl-4.0", "animagine-xl-3.1"} <= set(args[1]["choices"])
    assert all(isinstance(c, str) for a in args for c in a["choices"] or ())
    assert all(a["label"] for a in args), "an unlabelled argument is anonymous to API clients"
    assert json.loads(json.dumps(info)) == info
    assert not [r for r in errors.reported if "animagine" in r.lower()]


def test_naming_a_missing_script_is_422(host):
    with pytest.raises(HTTPException) as exc:
        Api().text2imgapi(dict(REQUEST, alwayson_scripts={"Animagine": {"args": [True]}}))
    assert exc.value.status_code == 422


@pytest.fixture
def client(host):
    app = FastAPI()
    script_callbacks.app_started_callback(None, app)  # demo is None under --nowebui
    return TestClient(app)


def test_format_route_returns_the_engine_json(client):
    body = {"prompt": "1girl, hatsune_miku", "negative_prompt": "bad", "rating": "safe", "width": 1000, "height": 600}
    response = client.post(FORMAT_ROUTE, json=body)
    assert response.status_code == 200
    expected = format_prompt(
        "1girl, hatsune_miku",
        db=adapter_engine.KNOWLEDGE_BASE.get(),
        preset=get_preset("animagine-xl-4.0"),
        options=FormatOptions(rating="safe"),
        negative="bad",
        width=1000,
        height=600,
    ).to_json()
    assert response.json() == {**expected, "preset": "animagine-xl-4.0"}


def test_format_route_preset_alias_and_422(client, fake_engine):
    ok = client.post(FORMAT_ROUTE, json={"prompt": "1girl", "preset": "3.1"})
    assert ok.status_code == 200 and ok.json()["preset"] == "animagine-xl-3.1"
    assert ok.json()["prompt"].endswith("very aesthetic, absurdres")
    bad = client.post(FORMAT_ROUTE, json={"prompt": "1girl", "preset": "nope"})
    assert bad.status_code == 422
    [problem] = bad.json()["detail"]
    assert problem["loc"] == ["body", "preset"] and "animagine-xl-4.0" in problem["msg"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"prompt": "1girl", "rating": "sfw"}, "rating"),
        ({"prompt": 5}, "prompt"),
        ({"prompt": "1girl", "negative_prompt": ["bad"]}, "negative_prompt"),
        ({"prompt": "1girl", "width": "832"}, "width"),
        ({"prompt": "1girl", "height": -1}, "height"),
        ({"prompt": "1girl", "inject_negative": "yes"}, "inject_negative"),
        ({"negative_prompt": ""}, "prompt"),
    ],
)
def test_format_route_wrong_type_or_unknown_value_is_422_naming_the_field(client, body, field):
    response = client.post(FORMAT_ROUTE, json=body)
    assert response.status_code == 422
    assert [problem["loc"] for problem in response.json()["detail"]] == [["body", field]]
    assert "prompt" not in response.json()


def test_format_route_body_that_is_not_json_is_422(client):
    response = client.post(FORMAT_ROUTE, content=b"{prompt: 1girl", headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and "not JSON" in response.json()["detail"][0]["msg"]


def test_format_route_caps_a_prompt_at_64_kb_with_413(client, fake_engine):
    at_cap = "a" * (64 * 1024)
    assert client.post(FORMAT_ROUTE, json={"prompt": at_cap}).status_code == 200
    over = client.post(FORMAT_ROUTE, json={"prompt": "1girl", "negative_prompt": "é" * (32 * 1024 + 1)})
    assert over.status_code == 413  # bytes, not characters: é is two
    [problem] = over.json()["detail"]
    assert problem["loc"] == ["body", "negative_prompt"] and "65536" in problem["msg"]


def test_format_route_refuses_a_huge_body_before_reading_it(client):
    response = client.post(FORMAT_ROUTE, json={"prompt": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["animagine-xl-4.0", True, True, True, True, True, "safe"], "argument 0 (enabled) = 'animagine-xl-4.0'"),
        ([True, True, "animagine-xl-4.0"], "argument 1 (preset) = True"),
        ([True, "4.0", True, True, True, True, True, "sfw"], "argument 7 (rating) = 'sfw'"),
        ([True, "4.0", "maybe"], "argument 2 (lock_sampler) = 'maybe'"),
    ],
)
def test_script_args_that_do_not_parse_are_named_and_the_generation_goes_on_untouched(
    host, fake_engine, capsys, args, named
):
    res = Api().text2imgapi(dict(REQUEST, alwayson_scripts={"Animagine XL": {"args": args}}))
    assert res.all_prompts == ["1girl, smile"] * 2
    assert res.all_negative_prompts == [""] * 2
    assert (res.sampler_name, res.steps, res.cfg_scale, res.width, res.height) == ("DPM++ 2M", 20, 7.0, 1000, 600)
    assert named in res.infotexts[0] and "Animagine error" in res.infotexts[0]
    assert "Animagine: " not in res.infotexts[0]  # pasting it back leaves the accordion off
    console = capsys.readouterr().out
    assert console.count("[Animagine XL]") == 1 and named in console


def test_switched_off_script_with_odd_args_stays_silent(host, fake_engine, capsys):
    res = Api().text2imgapi(dict(REQUEST, alwayson_scripts={"Animagine XL": {"args": [False, 3, "x"]}}))
    assert res.all_prompts == ["1girl, smile"] * 2
    assert "Animagine" not in res.infotexts[0]
    assert "[Animagine XL]" not in capsys.readouterr().out


def test_old_infotext_value_in_the_ui_is_named(host, fake_engine, capsys):
    p, res = host.txt2img("1girl, smile", {"enabled": True, "rating": "questionable"})
    assert p.all_prompts == ["1girl, smile"]
    assert "argument 7 (rating) = 'questionable'" in res.infotexts[0]
