"""The standalone tab in a real browser: what a user types, clicks and sees.

One app per module (starting gradio costs seconds); each test reloads the page.
Expected texts are computed with the engine in the test, so the browser must
show exactly what ``format_prompt`` returns, plus a few concrete expectations.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from animagine_prompt.formatter import format_prompt
from animagine_prompt.options import FormatOptions
from animagine_prompt.presets import get_preset
from animagine_tab import callbacks as cb

from .browser import (
    choose,
    chromium_page,
    click_radio,
    free_port,
    open_tab,
    panel,
    screenshot,
    skip_without_browser,
    stop,
    text_box,
)
from .support import make_context, make_tags_dir

pytestmark = pytest.mark.browser

MESSY = "hatsune_miku, 1girl, long_hair, twintails, smile, 1girl, hatsne miku"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, index_dir: Path):
    skip_without_browser()
    from animagine_tab.app import STYLE_FILE, serve

    tags = make_tags_dir(tmp_path_factory.mktemp("browser"))
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


def test_messy_prompt_is_formatted_with_diff_and_fix(app, page):
    from playwright.sync_api import expect

    ctx, _ = app
    text_box(page, "animagine_input").fill(MESSY)
    expected = format_prompt(
        MESSY,
        db=ctx.load_db(),
        preset=get_preset("animagine-xl-4.0"),
        options=FormatOptions(),
        width=832,
        height=1216,
        cfg_scale=5,
        steps=28,
    )
    output = text_box(page, "animagine_output")
    expect(output).to_have_value(expected.prompt)
    assert expected.prompt.startswith("1girl, hatsune miku")
    expect(text_box(page, "animagine_output_negative")).to_have_value(expected.negative_prompt)
    diff = panel(page, "animagine_diff")
    expect(diff.locator(".animagine-chip.animagine-added", has_text="masterpiece")).to_be_visible()
    expect(diff.locator(".animagine-chip.animagine-removed", has_text="1girl")).to_be_visible()
    expect(diff.locator(".animagine-chip.animagine-cat-character", has_text="hatsune miku")).to_be_visible()
    expect(panel(page, "animagine_tokens")).to_contain_text("approximate")
    expect(panel(page, "animagine_warnings")).to_contain_text("hatsne miku")
    screenshot(page, "formatter")

    fix = page.locator("#animagine_fix_0")
    expect(fix).to_contain_text("hatsne miku → hatsune miku")
    fix.click()
    fixed = cb.apply_fix(MESSY, "hatsne miku", "hatsune miku")
    expect(text_box(page, "animagine_input")).to_have_value(fixed)
    expect(panel(page, "animagine_warnings")).not_to_contain_text("hatsne miku")


def test_character_autocomplete_fills_series(app, page):
    from playwright.sync_api import expect

    ctx, _ = app
    open_tab(page, "Builder")
    character = text_box(page, "animagine_b_character")
    character.click()
    character.press_sequentially("firefly (honk", delay=20)
    pick = page.locator("#animagine_b_character_picks label", has_text="firefly (honkai: star rail)").first
    pick.click()
    expect(character).to_have_value("firefly (honkai: star rail)")
    expect(text_box(page, "animagine_b_series")).to_have_value("honkai: star rail")
    raw = cb.assemble("1girl", "firefly (honkai: star rail)", "honkai: star rail", "safe", "", "", "")
    expected = format_prompt(
        raw, db=ctx.load_db(), preset=get_preset("animagine-xl-4.0"), width=832, height=1216, cfg_scale=5, steps=28
    )
    expect(text_box(page, "animagine_b_output")).to_have_value(expected.prompt)
    assert expected.prompt.startswith("1girl, firefly \\(honkai: star rail\\), honkai: star rail, safe")
    expect(page.locator("#animagine_b_character_picks")).to_be_hidden()
    screenshot(page, "builder")

    page.locator("#animagine_b_to_formatter").click()
    expect(text_box(page, "animagine_input")).to_have_value(raw)
    expect(text_box(page, "animagine_output")).to_have_value(expected.prompt)


def test_changing_the_character_replaces_its_series(page):
    from playwright.sync_api import expect

    open_tab(page, "Builder")
    character = text_box(page, "animagine_b_character")
    series = text_box(page, "animagine_b_series")
    character.click()
    character.press_sequentially("firefly (honk", delay=20)
    expect(character).to_have_value("firefly (honk")
    picks = page.locator("#animagine_b_character_picks")
    expect(picks).to_contain_text("firefly (honkai: star rail)")
    picks.locator("label", has_text="firefly (honkai: star rail)").first.click()
    expect(series).to_have_value("honkai: star rail")
    character.fill("makima (chainsaw man)")
    expect(series).to_have_value("chainsaw man")
    expect(text_box(page, "animagine_b_output")).to_have_value(re.compile(r"^1girl, makima .*, chainsaw man, safe"))
    series.fill("my series")
    character.fill("firefly (honkai: star rail)")
    expect(text_box(page, "animagine_b_output")).to_have_value(re.compile(r"firefly .*my series"))
    expect(series).to_have_value("my series")  # typed by the user: kept


def test_resolution_and_preset_drive_the_settings(page):
    from playwright.sync_api import expect

    text_box(page, "animagine_input").fill("1girl, smile")
    settings = panel(page, "animagine_output_settings")
    expect(settings).to_contain_text("832 × 1216")
    click_radio(page, "animagine_resolution", "1216 × 832")
    expect(settings).to_contain_text("1216 × 832")
    choose(page, "animagine_preset", "animagine-xl-3.1")
    expect(panel(page, "animagine_recommendation")).to_contain_text("Animagine XL 3.1")
    expect(settings).to_contain_text("896 × 1152")
    expect(settings).to_contain_text("CFG scale 7")
    v31 = "1girl, smile, masterpiece, best quality, very aesthetic, absurdres"
    expect(text_box(page, "animagine_output")).to_have_value(v31)


def test_override_edit_takes_effect(app, page):
    from playwright.sync_api import expect

    ctx, _ = app
    open_tab(page, "Tag database")
    expect(panel(page, "animagine_sources")).to_contain_text("tipo-kgen")
    text_box(page, "animagine_lookup").fill("zzyzx girl")
    expect(panel(page, "animagine_lookup_result")).to_contain_text("not in the database")
    text_box(page, "animagine_overrides").fill("zzyzx_girl, character\n")
    page.locator("#animagine_save_overrides").click()
    expect(panel(page, "animagine_save_status")).to_contain_text("Saved 1 override")
    expect(panel(page, "animagine_lookup_result")).to_contain_text("character (from your overrides)")
    assert "zzyzx girl,character" in ctx.overrides_file.read_text(encoding="utf-8")
    screenshot(page, "tag-database")

    open_tab(page, "Formatter")
    text_box(page, "animagine_input").fill("smile, zzyzx girl, 1girl")
    expect(text_box(page, "animagine_output")).to_have_value(
        "1girl, zzyzx girl, smile, masterpiece, high score, great score, absurdres"
    )


def test_two_tabs_editing_overrides_never_overwrite_each_other(app):
    """Two browser tabs open the editor; the second Save is refused and shows both versions; after a
    reload, opening the tab shows what is on disk."""
    from playwright.sync_api import expect

    ctx, url = app
    with chromium_page(url) as first:
        second = first.open_another()
        for page in (first, second):
            open_tab(page, "Tag database")
        base = text_box(second, "animagine_overrides").input_value()
        text_box(first, "animagine_overrides").fill(base + "aaa girl, character\n")
        first.locator("#animagine_save_overrides").click()
        expect(panel(first, "animagine_save_status")).to_contain_text("Saved")

        text_box(second, "animagine_overrides").fill(base + "bbb girl, character\n")
        second.locator("#animagine_save_overrides").click()
        expect(panel(second, "animagine_save_status")).to_contain_text("Not saved")
        expect(text_box(second, "animagine_overrides_conflict")).to_have_value(re.compile("aaa girl, character"))
        expect(text_box(second, "animagine_overrides")).to_have_value(re.compile("bbb girl, character"))
        on_disk = ctx.overrides_file.read_text(encoding="utf-8")
        assert "aaa girl" in on_disk and "bbb girl" not in on_disk

        text_box(second, "animagine_overrides").fill(base + "aaa girl, character\nbbb girl, character\n")
        second.locator("#animagine_save_overrides").click()
        expect(panel(second, "animagine_save_status")).to_contain_text("Saved")
        expect(second.locator("#animagine_overrides_conflict")).to_be_hidden()

        first.reload()
        first.wait_for_selector("#animagine_input")
        open_tab(first, "Tag database")
        expect(text_box(first, "animagine_overrides")).to_have_value(re.compile("bbb girl, character"))
        assert first.errors == [] and second.errors == []


def test_dark_theme_renders_the_diff(app):
    from playwright.sync_api import expect

    with chromium_page(app[1] + "?__theme=dark", dark=True) as page:
        text_box(page, "animagine_input").fill(MESSY)
        expect(page.locator("#animagine_diff .animagine-chip").first).to_be_visible()
        screenshot(page, "formatter-dark")
        assert page.errors == []


def test_fast_typing_ends_on_the_last_keystroke(app, page, monkeypatch):
    """Keys at 30 ms while each pass runs: gradio 3.41's page sends no event for a listener that is
    still running, so without the follow-up pass the preview stayed a key or more behind."""
    import time

    from playwright.sync_api import expect

    ctx, _ = app
    run_format = cb.run_format

    def slow_pass(*args, **kwargs):  # a loaded machine: every pass outlasts a keystroke
        time.sleep(0.15)
        return run_format(*args, **kwargs)

    monkeypatch.setattr(cb, "run_format", slow_pass)
    box = text_box(page, "animagine_input")
    box.fill("1girl, hatsune miku, smile, ")
    box.press("End")
    typed = "long hair, twintails, very aesthetic, night sky"
    box.press_sequentially(typed, delay=30)
    final = format_prompt(
        "1girl, hatsune miku, smile, " + typed, db=ctx.load_db(), preset=get_preset("animagine-xl-4.0"),
        width=832, height=1216, cfg_scale=5, steps=28,
    )
    expect(text_box(page, "animagine_output")).to_have_value(final.prompt)


def test_fast_typing_gets_suggestions_for_the_last_keystroke(app, page, monkeypatch):
    """Each suggestion pass outlasting a keystroke (a busy machine): under gradio 3.41 the last key's
    ``.input`` was never sent, so the picks stayed those of a shorter text or never showed at all."""
    import time

    from playwright.sync_api import expect

    complete = cb.complete
    asked: list[str] = []

    def slow_complete(session, text, category, *args, **kwargs):
        asked.append(text)
        time.sleep(0.15)
        return complete(session, text, category, *args, **kwargs)

    monkeypatch.setattr(cb, "complete", slow_complete)
    open_tab(page, "Builder")
    character = text_box(page, "animagine_b_character")
    character.click()
    character.press_sequentially("firefly (honk", delay=30)
    for _ in range(200):  # the last pass may still be on its way once typing ends
        if asked and asked[-1] == "firefly (honk":
            break
        page.wait_for_timeout(100)
    assert asked[-1] == "firefly (honk"
    expect(page.locator("#animagine_b_character_picks")).to_contain_text("firefly (honkai: star rail)")
