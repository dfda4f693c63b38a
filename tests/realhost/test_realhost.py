"""The extension inside a real A1111 v1.10.1 and a real reForge, as a user installs it.

Per host (see conftest's ``host`` fixture): linked into ``extensions/``, ``install.py``
run twice the launcher's way, the host started. Then the host itself is asked: is our
script listed, what does a txt2img with the toggle on (and off) write into the
infotext, did the log get a traceback from us, does our tab render and does its
*Send to txt2img* fill the host's prompt box. Generations use 1 step at 256×256 on
CPU with the steps and size locks off (a locked 28-step 832×1216 image would take
many minutes here); the sampler and CFG locks are on, so the host must show them.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from conftest import Running, figure
from hostkit import parse_infotext

from animagine_prompt.formatter import format_prompt
from animagine_prompt.knowledge import load_knowledge
from animagine_prompt.options import FormatOptions
from animagine_prompt.presets import get_preset, load_presets
from animagine_webui.args import ARG_NAMES

TITLE = "Animagine XL"
PROMPT = "smile, hatsune_miku, 1girl, masterpiece, night"
NEGATIVE = "lowres, watermark"


def _request(enabled: bool) -> dict:
    args = dict.fromkeys(ARG_NAMES)
    args.update(
        enabled=enabled,
        preset="animagine-xl-4.0",
        lock_sampler=True,
        lock_cfg=True,
        lock_steps=False,
        lock_size=False,
        inject_negative=True,
        rating="none",
    )
    return {
        "prompt": PROMPT,
        "negative_prompt": NEGATIVE,
        "steps": 1,
        "width": 256,
        "height": 256,
        "sampler_name": "DPM++ 2M",
        "cfg_scale": 7,
        "seed": 1,
        "save_images": False,
        "send_images": False,
        "alwayson_scripts": {TITLE: {"args": [args[name] for name in ARG_NAMES]}},
    }


def _txt2img(running: Running, enabled: bool) -> tuple[str, str, dict[str, str]]:
    started = time.monotonic()
    answer = running.host.post("/sdapi/v1/txt2img", _request(enabled))
    took = time.monotonic() - started
    figure(f"{running.host.kind.name}: txt2img, toggle {'on' if enabled else 'off'}, 1 step 256x256: {took:.1f} s")

    info = json.loads(answer["info"])
    return parse_infotext(info["infotexts"][0])


def test_install_runs_and_a_second_run_prints_nothing(host: Running) -> None:
    (rc1, out1), (rc2, out2) = host.installs
    assert rc1 == 0, out1
    assert rc2 == 0, out2
    assert out2 == "", f"second install.py run printed: {out2!r}"
    figure(f"{host.host.kind.name}: install.py first run printed {len(out1.splitlines())} line(s), second run none")


def test_script_is_listed(host: Running) -> None:
    scripts = host.host.get("/sdapi/v1/script-info")
    ours = [s for s in scripts if s["name"] == TITLE.lower()]
    assert {s["is_img2img"] for s in ours} == {False, True}, [s["name"] for s in scripts]
    assert all(s["is_alwayson"] for s in ours)
    txt = next(s for s in ours if not s["is_img2img"])
    assert len(txt["args"]) == len(ARG_NAMES), txt["args"]
    assert txt["args"][0]["value"] is False  # off by default: API calls that don't name us are untouched


def test_txt2img_toggle_on_formats_and_locks(host: Running) -> None:
    prompt, negative, params = _txt2img(host, True)
    preset = get_preset("animagine-xl-4.0", load_presets(None))
    expected = format_prompt(
        PROMPT,
        db=load_knowledge(),
        preset=preset,
        options=FormatOptions(inject_negative=True),
        negative=NEGATIVE,
        lint=False,
    )
    assert prompt == expected.prompt
    assert negative == expected.negative_prompt
    assert negative.startswith(NEGATIVE + ", ")
    assert params["Sampler"] == "Euler a"
    assert float(params["CFG scale"]) == 5  # the host writes the float the lock set: "5.0"
    assert params["Steps"] == "1"
    assert params["Size"] == "256x256"
    assert params["Animagine"] == "animagine-xl-4.0"
    assert params["Animagine locks"] == "sampler+cfg"
    assert params["Animagine original prompt"] == PROMPT
    assert "Animagine version" in params


def test_txt2img_toggle_off_changes_nothing(host: Running) -> None:
    prompt, negative, params = _txt2img(host, False)
    assert prompt == PROMPT
    assert negative == NEGATIVE
    assert params["Sampler"] == "DPM++ 2M"
    assert float(params["CFG scale"]) == 7
    assert not [k for k in params if k.startswith("Animagine")]


def test_tab_renders_and_sends_to_txt2img(host: Running) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    console: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)
            page.on("console", lambda m: m.type in ("error", "warning") and console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.on("response", lambda r: r.status >= 400 and console.append(f"HTTP {r.status}: {r.url}"))
            page.on("requestfailed", lambda r: console.append(f"request failed: {r.url}"))
            started = time.monotonic()
            page.goto(host.host.url + "/", wait_until="domcontentloaded")
            page.wait_for_selector("#txt2img_prompt textarea", state="attached")
            # the host's top-level tab buttons (gradio 3.41 gives them no ARIA role)
            page.locator("#tabs > .tab-nav > button").filter(has_text=re.compile(r"^\s*Animagine\s*$")).click()
            page.wait_for_selector("#animagine_input textarea", state="visible")
            page.fill("#animagine_input textarea", PROMPT)
            page.click("#animagine_format")
            output = page.locator("#animagine_output textarea")
            page.wait_for_function(
                "() => { const t = document.querySelector('#animagine_output textarea'); return t && t.value; }"
            )
            formatted = output.input_value()
            assert "hatsune miku" in formatted
            page.click("#animagine_formatter_send_txt2img")
            page.wait_for_function(
                "(v) => document.querySelector('#txt2img_prompt textarea').value === v", arg=formatted
            )
            took = time.monotonic() - started
            figure(f"{host.host.kind.name}: page, tab and Send to txt2img in chromium {took:.1f} s")
        finally:
            browser.close()
    if any(part.startswith(".") for part in host.host.base.resolve().parts):
        # gradio 3.41 answers 403 to every /file= path with a dot-folder in it (routes.py, is_dotfile), so
        # under ~/.cache none of the host's javascript/ and style.css loads, nor ours: not ours to judge
        figure(f"{host.host.kind.name}: page assets under a dot-folder ({host.host.base}): gradio refuses every file=")
        console = [x for x in console if not re.match(r"(HTTP 403|request failed): .*/file=", x)]
    ours = [line for line in console if re.search(r"animagine", line, re.I)]
    for line in dict.fromkeys(x for x in console if "Failed to load resource" not in x):  # each line once
        figure(f"{host.host.kind.name}: page console: {line[:300]}")
    assert not ours, ours


def test_host_log_has_no_error_of_ours(host: Running) -> None:
    log = host.host.log()
    for line in log.splitlines():
        if re.search(r"animagine", line, re.I):
            figure(f"{host.host.kind.name}: log: {line.strip()[:300]}")
    blocks = re.split(r"\n(?=\S)", log)
    # reForge reads each extension's git remote for its Extensions tab; a checkout without an
    # "origin" remote (this worktree) gets a traceback from the host's extensions.py, not from us
    not_ours = "Failed reading extension data from Git repository"
    bad = [
        b
        for b in blocks
        if re.search(r"animagine", b, re.I) and re.search(r"Traceback|Error|error", b) and not_ours not in b
    ]
    assert not bad, "\n---\n".join(bad)
