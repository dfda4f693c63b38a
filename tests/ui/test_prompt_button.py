"""javascript/animagine.js in a browser, on a page shaped like the WebUI's txt2img prompt area.

The page has the host's element ids (``txt2img_prompt``, ``txt2img_neg_prompt``,
``txt2img_tools``, the InputAccordion checkbox) and the adapter's real
``POST /animagine/v1/format`` route; ``gradioApp``/``onUiLoaded`` are shimmed
the way the host's script.js provides them. A server-side echo of the prompt
proves gradio saw the rewritten value, not only the DOM.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from animagine_webui import element_ids

from .browser import chromium_page_raw, free_port, skip_without_browser, stop, text_box

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "javascript" / "animagine.js"
STYLE = REPO / "style.css"
MESSY = "hatsune_miku, smile, 1girl"
SHIMS = """
window.gradioApp = () => document.querySelector('gradio-app') || document;
window.__animagineUiLoaded = [];
window.onUiLoaded = (cb) => window.__animagineUiLoaded.push(cb);
"""


@pytest.fixture(scope="module")
def host_page_url(real_tagdb):
    skip_without_browser()
    import gradio as gr

    from animagine_webui import api, engine
    from animagine_webui.settings import AdapterSettings

    with gr.Blocks(analytics_enabled=False) as demo:
        with gr.Row(elem_id="txt2img_tools"):
            gr.Button("🗑️", elem_id="txt2img_clear_prompt")
        prompt = gr.Textbox(elem_id="txt2img_prompt", lines=3, show_label=False)
        gr.Textbox(elem_id="txt2img_neg_prompt", lines=3, show_label=False)
        gr.Checkbox(False, label="Animagine", elem_id=element_ids.accordion("txt2img") + "-checkbox")
        echo = gr.Textbox(elem_id="echo")
        prompt.change(lambda text: text, [prompt], [echo])
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api, "KNOWLEDGE_BASE", engine.KnowledgeBase(lambda: real_tagdb))
        demo.queue()
        app, _, _ = demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
        api.add_routes(app, AdapterSettings)  # as the host's on_app_started does, after launch
        try:
            expected = api.format_request(api.FormatRequest(prompt=MESSY), AdapterSettings())
            yield f"http://127.0.0.1:{port}/", expected
        finally:
            stop(demo)


@pytest.fixture()
def page(host_page_url):
    url, _ = host_page_url
    with chromium_page_raw(url, init_script=SHIMS, ready="#txt2img_prompt") as page:
        page.add_style_tag(path=str(STYLE))  # the host loads the extension's style.css
        page.add_script_tag(path=str(SCRIPT))
        page.evaluate("window.__animagineUiLoaded.forEach((cb) => cb())")
        yield page
        assert page.errors == []


def test_button_rewrites_prompt_undoably_and_gradio_sees_it(host_page_url, page):
    from playwright.sync_api import expect

    _, expected = host_page_url
    assert expected["prompt"].startswith("1girl, hatsune miku")
    prompt = text_box(page, "txt2img_prompt")
    prompt.fill(MESSY)
    expect(text_box(page, "echo")).to_have_value(MESSY)  # gradio has the typed text
    page.locator("#" + element_ids.format_button("txt2img")).click()
    expect(prompt).to_have_value(expected["prompt"])
    expect(text_box(page, "txt2img_neg_prompt")).to_have_value(expected["negative_prompt"])
    expect(text_box(page, "echo")).to_have_value(expected["prompt"])

    page.keyboard.press("Control+z")  # the focus stays in the prompt box
    expect(prompt).to_have_value(MESSY)
    expect(text_box(page, "echo")).to_have_value(MESSY)
    page.keyboard.press("Control+z")
    expect(text_box(page, "txt2img_neg_prompt")).to_have_value("")


def test_shortcut_formats_the_focused_prompt(host_page_url, page):
    from playwright.sync_api import expect

    _, expected = host_page_url
    prompt = text_box(page, "txt2img_prompt")
    prompt.fill(MESSY)
    prompt.press("Alt+Shift+KeyA")
    expect(prompt).to_have_value(expected["prompt"])


def test_badge_follows_the_per_generation_toggle(page):
    from playwright.sync_api import expect

    badge = page.locator("#" + element_ids.badge("txt2img"))
    expect(badge).to_be_hidden()
    page.locator("#" + element_ids.accordion("txt2img") + "-checkbox input").check()
    expect(badge).to_be_visible()
    page.locator("#" + element_ids.accordion("txt2img") + "-checkbox input").uncheck()
    expect(badge).to_be_hidden()
