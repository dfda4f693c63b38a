"""The tab at a phone's width, read by a keyboard and a screen reader, and in words (issue 12, items 7 and 9).

One app per module, as in test_browser.py. Sizes are a phone's (390 × 844 CSS px) where it says so.
Accessible names are chromium's own (its accessibility tree, through the DevTools protocol), so a
control counts as labelled only when a screen reader would say something for it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from animagine_prompt.categories import CATEGORY_WORDS
from animagine_prompt.result import DIAGNOSTIC_WORDS
from animagine_tab.render import CATEGORY_CLASSES

from .browser import chromium_page, free_port, open_tab, panel, skip_without_browser, stop, text_box
from .support import make_context, make_tags_dir

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
#: Triggers a move, added tags, a plain name renamed, a typo and two weights of one tag.
MIXED = "makima, 1girl, smlie, masterpiece, (smile:1.3), smile"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, index_dir: Path):
    skip_without_browser()
    from animagine_tab.app import STYLE_FILE, serve

    tags = make_tags_dir(tmp_path_factory.mktemp("phone"))
    ctx = make_context(tags, index_dir, css=STYLE_FILE.read_text(encoding="utf-8"))
    port = free_port()
    blocks = serve(ctx, "127.0.0.1", port, block=False)
    try:
        yield ctx, f"http://127.0.0.1:{port}/"
    finally:
        stop(blocks)


@pytest.fixture()
def page(app):
    with chromium_page(app[1]) as page:
        yield page
        assert page.errors == []


def _on_phone(page) -> None:
    page.set_viewport_size(PHONE)
    page.reload()
    page.locator("#animagine_input").first.wait_for()


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right,"
        " bottom: r.bottom, height: r.height}; }"
    )


def _overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_phone_width_shows_the_prompt_box_first_in_one_column(page):
    _on_phone(page)
    assert page.evaluate("() => window.scrollY") == 0
    prompt = _box(page, "#animagine_input textarea")
    assert prompt["top"] >= 0 and prompt["top"] + prompt["height"] <= PHONE["height"], prompt
    assert _overflow(page) <= PHONE["width"]
    # one column: the settings' two columns, the formatter's input and output, stacked
    preset, resolution = _box(page, "#animagine_preset"), _box(page, "#animagine_resolution")
    assert resolution["top"] >= preset["bottom"] and abs(resolution["left"] - preset["left"]) < 2
    source, out = _box(page, "#animagine_input"), _box(page, "#animagine_output")
    assert out["top"] >= source["bottom"] and abs(out["left"] - source["left"]) < 2

    text_box(page, "animagine_input").fill(MIXED)
    from playwright.sync_api import expect

    expect(panel(page, "animagine_diff").locator(".animagine-chip").first).to_be_visible()
    assert _overflow(page) <= PHONE["width"]

    open_tab(page, "Builder")
    character, series = _box(page, "#animagine_b_character"), _box(page, "#animagine_b_series")
    people = _box(page, "#animagine_b_people")
    assert people["bottom"] <= character["top"] and character["bottom"] <= series["top"]
    assert abs(character["left"] - series["left"]) < 2
    assert _overflow(page) <= PHONE["width"]
    open_tab(page, "Tag database")
    expect(panel(page, "animagine_sources")).to_contain_text("tipo-kgen")
    assert _overflow(page) <= PHONE["width"]


def test_desktop_keeps_the_settings_above_side_by_side(page):
    settings, tabs = _box(page, "#animagine_settings_row"), _box(page, "#animagine_tabs")
    assert settings["bottom"] <= tabs["top"]
    preset, resolution = _box(page, "#animagine_preset"), _box(page, "#animagine_resolution")
    assert resolution["left"] > preset["right"] - 1  # two columns
    source, out = _box(page, "#animagine_input"), _box(page, "#animagine_output")
    assert out["left"] > source["right"] - 1


_CONTRAST = """e => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  const over = (top, under) => { const a = top.length > 3 ? top[3] : 1;
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)); };
  const layers = [];
  for (let n = e; n; n = n.parentElement) layers.push(rgb(getComputedStyle(n).backgroundColor));
  let back = [255, 255, 255];
  for (const layer of layers.reverse()) if (layer.length) back = over(layer, back);
  const fore = over(rgb(getComputedStyle(e).color), back);
  const [hi, lo] = [lum(fore), lum(back)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_category_legend_names_every_colour_in_words(app, dark):
    from playwright.sync_api import expect

    with chromium_page(app[1] + ("?__theme=dark" if dark else ""), dark=dark) as page:
        text_box(page, "animagine_input").fill(MIXED)
        legend = panel(page, "animagine_diff").locator(".animagine-category-legend")
        expect(legend).to_be_visible()
        for category, cls in CATEGORY_CLASSES.items():
            item = legend.locator(f".{cls}")
            expect(item).to_have_text(CATEGORY_WORDS[category])
            assert item.evaluate(_CONTRAST) >= 4.5, (category, dark)
        if dark:
            assert page.evaluate("() => document.body.classList.contains('dark')")
        # the chip and its legend entry share the class, so the colour
        chip_edge = panel(page, "animagine_diff").locator(".animagine-chips .animagine-cat-character").first
        legend_edge = legend.locator(".animagine-cat-character")
        style = "e => getComputedStyle(e).borderLeftColor"
        assert chip_edge.evaluate(style) == legend_edge.evaluate(style)
        assert page.errors == []


def test_changes_and_warnings_are_in_words(page):
    from playwright.sync_api import expect

    text_box(page, "animagine_input").fill(MIXED)
    diff, warnings = panel(page, "animagine_diff"), panel(page, "animagine_warnings")
    expect(diff).to_contain_text("1 renamed")
    expect(warnings).to_contain_text("different weights")
    expect(warnings).to_contain_text("unknown tag 'smlie'")
    shown = diff.inner_text() + "\n" + warnings.inner_text()
    for code in DIAGNOSTIC_WORDS:
        assert code not in shown, code
    for kind in ("named", "cleaned", "copyright", "meta"):
        assert not re.search(rf"\b{kind}\b", shown), kind
    assert "series" in shown and "moved" in shown and "added" in shown


_FOCUSED = """() => { const e = document.activeElement; const home = e.closest('[id^=animagine_]');
  return {tag: e.tagName.toLowerCase(), home: home ? home.id : '', text: (e.innerText || '').trim()}; }"""


def _ax_name(cdp, expression: str) -> tuple[str, str]:
    """(role, accessible name) of the element ``expression`` evaluates to, as chromium exposes it."""
    handle = cdp.send("Runtime.evaluate", {"expression": expression})["result"]
    nodes = cdp.send("Accessibility.getPartialAXTree", {"objectId": handle["objectId"], "fetchRelatives": False})
    node = nodes["nodes"][0] if nodes["nodes"] else {}
    return node.get("role", {}).get("value", ""), str(node.get("name", {}).get("value", "")).strip()


def test_tab_key_reaches_the_prompt_box_and_the_main_buttons_all_named(page):
    cdp = page.context.new_cdp_session(page)
    reached: list[tuple[str, str, str]] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        where = page.evaluate(_FOCUSED)
        if not where["home"]:
            if reached:
                break  # past the tab, into gradio's footer
            continue
        role, name = _ax_name(cdp, "document.activeElement")
        assert name, (where, role)  # every control the keyboard reaches says what it is
        reached.append((where["home"], where["tag"], name))
    homes = [home for home, _, _ in reached]
    assert "animagine_options" in homes  # the options' header, under gradio 3 too
    for expected in ("animagine_preset", "animagine_cfg", "animagine_input", "animagine_format"):
        assert expected in homes, (expected, reached)
    names = [name for _, _, name in reached]
    for title in ("Formatter", "Builder", "Tag database"):
        assert title in names, (title, reached)
    assert homes.index("animagine_input") < homes.index("animagine_format")

    # and a keyboard alone gets there and presses it (the live preview formats as well: this shows the
    # path works without a mouse, not that Enter alone formats)
    from playwright.sync_api import expect

    text_box(page, "animagine_input").focus()
    page.keyboard.type("smile, 1girl")
    while page.evaluate(_FOCUSED)["home"] != "animagine_format":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(text_box(page, "animagine_output")).to_have_value(re.compile(r"^1girl, smile, masterpiece"))


_CONTROLS = "input:not([type=hidden]), textarea, select, button, [role=button], [tabindex='0']"


@pytest.mark.parametrize("tab", ["Formatter", "Builder", "Tag database"])
def test_every_visible_control_has_a_name(page, tab):
    open_tab(page, tab)
    page.wait_for_timeout(300)
    cdp = page.context.new_cdp_session(page)
    count = page.evaluate(
        f"""() => {{ window.__controls = [...document.querySelectorAll("[id^=animagine_] :is({_CONTROLS})")]
             .filter(e => e.offsetParent !== null); return window.__controls.length; }}"""
    )
    assert count >= 5
    unnamed = []
    for i in range(count):
        role, name = _ax_name(cdp, f"window.__controls[{i}]")
        if not name:
            unnamed.append((role, page.evaluate(f"() => window.__controls[{i}].outerHTML.slice(0, 160)")))
    assert unnamed == []
