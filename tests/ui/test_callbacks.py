"""The tab's behaviour without a browser: what each panel shows for a given input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.tagtable import FailingTable

from animagine_prompt.categories import Category
from animagine_prompt.formatter import format_prompt
from animagine_prompt.options import FormatOptions, Placement
from animagine_prompt.presets import get_preset, load_presets
from animagine_prompt.result import Change, Diagnostic, FormatResult, GenerationSettings, TaggedItem
from animagine_prompt.tokens import approximate_tokens, chunk_report
from animagine_tab import TabContext
from animagine_tab import callbacks as cb
from animagine_tab.infotext import to_infotext
from animagine_tab.items import item_spans, prompt_items, split_items
from animagine_tab.render import CATEGORY_CLASSES, category_legend_html, diff_html, output_items, warnings_html

PRESET = get_preset("animagine-xl-4.0")
PANEL = ("animagine-xl-4.0", "832 × 1216 (13:19)", 5, 28, cb.default_flags(), None, cb.NO_RATING)


def session_over(db) -> cb.TabSession:
    return cb.TabSession(TabContext(load_db=lambda: db, presets=load_presets()))


# -- formatter ----------------------------------------------------------------------------------


def test_formatter_panels_show_exactly_what_the_engine_returns(real_tagdb):
    prompt = "hatsune_miku, 1girl, long_hair, long hair, smile"
    view = cb.run_format(session_over(real_tagdb), prompt, "", *PANEL)
    expected = format_prompt(prompt, db=real_tagdb, preset=PRESET, options=FormatOptions(), width=832, height=1216)
    assert view.result == expected
    assert view.result.prompt.startswith("1girl, hatsune miku")
    assert view.result.negative_prompt == PRESET.negative_prompt
    assert view.infotext.splitlines()[0] == expected.prompt


def test_options_panel_reaches_the_engine(real_tagdb):
    view = cb.run_format(
        session_over(real_tagdb), "1girl, smile", "", "animagine-xl-4.0", None, None, None, [], None, "sensitive"
    )
    assert "masterpiece" not in view.result.prompt  # "Append quality tags" unticked
    assert view.result.negative_prompt == ""  # "Add the model's negative prompt" unticked
    assert "sensitive" in split_items(view.result.prompt)


def test_make_options_maps_every_panel_control():
    options = cb.make_options(["Drop duplicate tags"], "just before the quality tags", "nsfw")
    assert options == FormatOptions(
        replace_underscores=False,
        add_series=False,
        append_quality=False,
        inject_negative=False,
        dedupe=True,
        plain_names=False,
        placement=Placement.BEFORE_QUALITY,
        rating="nsfw",
    )
    assert cb.make_options(cb.default_flags(), None, cb.NO_RATING) == FormatOptions()


def test_comments_radio_reads_the_prompt_as_that_host(real_tagdb):
    """On A1111 ``.hack//sign`` is a tag like any other; on reForge ``//sign`` is a comment, which must end
    its line: quality tags glued after it would be cut off with it."""
    session = session_over(real_tagdb)
    prompt = "smile, 1girl, .hack//sign"
    a1111 = cb.run_format(session, prompt, "", *PANEL, cb.dialect_label("a1111")).result.prompt
    reforge = cb.run_format(session, prompt, "", *PANEL, cb.dialect_label("reforge")).result.prompt
    assert ".hack//sign" in split_items(a1111) and "masterpiece" in split_items(a1111)
    comment_lines = [line for line in reforge.splitlines() if "//" in line]
    assert comment_lines and not any("masterpiece" in line for line in comment_lines)
    assert "masterpiece" in reforge


def test_the_tab_formats_in_its_hosts_dialect_until_told_otherwise(real_tagdb):
    session = cb.TabSession(TabContext(load_db=lambda: real_tagdb, presets=load_presets(), dialect="reforge"))
    told = cb.run_format(session, "1girl, .hack//sign", "", *PANEL, cb.dialect_label("reforge")).result
    assert cb.run_format(session, "1girl, .hack//sign", "", *PANEL).result == told
    assert cb.make_options([], None, None, cb.dialect_label("plain")).dialect == "plain"
    assert cb.make_options([], None, None, "no such label").dialect == "a1111"
    assert cb.dialect_label("no such dialect") == cb.dialect_label("a1111")


def test_resolution_settings_and_preset_fallback(real_tagdb):
    session = session_over(real_tagdb)
    view = cb.run_format(session, "1girl", "", "no-such-preset", "1216 × 832 (19:13)", 9, 40, None, None, None)
    s = view.settings
    assert (s.width, s.height, s.cfg_scale, s.steps) == (1216, 832, 9, 40)
    assert view.result.settings.cfg_scale == PRESET.cfg_scale  # the engine's recommendation is kept apart
    assert "CFG 9 is outside" in view.warnings_html
    assert "Size: 1216x832" in view.infotext and "CFG scale: 9" in view.infotext
    assert cb.resolution_choices(PRESET)[4] == "832 × 1216 (13:19)"
    assert cb.parse_size("garbage", PRESET) == PRESET.default_resolution


def test_engine_failure_is_shown_not_raised():
    view = cb.run_format(session_over(FailingTable("engine exploded")), "1girl, smile", "neg", *PANEL)
    assert view.result.prompt == "1girl, smile" and view.result.negative_prompt == "neg"
    assert "engine exploded" in view.diff_html


def test_did_you_mean_becomes_a_one_click_fix(real_tagdb):
    session = session_over(real_tagdb)
    prompt = "1girl, (hatsne_miku:1.2), smile"
    view = cb.run_format(session, prompt, "", *PANEL)
    fix = next(f for f in view.fixes if f.suggestion == "hatsune miku")
    fixed = cb.apply_fix(prompt, fix.subject, fix.suggestion)
    assert fixed == "1girl, (hatsune miku:1.2), smile"
    assert not cb.run_format(session, fixed, "", *PANEL).fixes


def test_apply_fix_leaves_an_unmatched_prompt_alone():
    assert cb.apply_fix("1girl, smile", "hatsne miku", "hatsune miku") == "1girl, smile"
    assert cb.apply_fix("Hatsne_Miku, smile", "hatsne miku", "hatsune miku") == "hatsune miku, smile"


@pytest.mark.parametrize(
    ("prompt", "fixed"),
    [
        ("1girl, makima (chainsaw mna), smile", "1girl, makima (chainsaw man), smile"),
        ("(makima (chainsw man):1.2), 1girl", "(makima (chainsaw man):1.2), 1girl"),
        ("1girl, firefly \\(honkai: star rial\\)", "1girl, firefly \\(honkai: star rail\\)"),
        ("1girl, makima_(chainsaw_mna)", "1girl, makima_(chainsaw_man)"),
    ],
)
def test_fix_works_on_a_word_inside_a_characters_qualifier(real_tagdb, prompt, fixed):
    session = session_over(real_tagdb)
    view = cb.run_format(session, prompt, "", *PANEL)
    assert view.fixes, "the misspelt series should get a Fix button"
    fix = view.fixes[0]
    assert cb.apply_fix(prompt, fix.subject, fix.suggestion) == fixed


def test_fixes_skip_warnings_without_a_suggestion():
    warnings = (
        Diagnostic("unknown-tag", "unknown tag 'zz'", "zz"),
        Diagnostic("unknown-tag", "did you mean", "wlopp", "wlop"),
        Diagnostic("unknown-tag", "did you mean", "wlopp", "wlop"),
    )
    assert cb.fixes_for(warnings) == (cb.Fix("wlopp → wlop", "wlopp", "wlop"),)


# -- diff ---------------------------------------------------------------------------------------


def _result(prompt: str, tags=(), changes=()) -> FormatResult:
    return FormatResult(prompt, "", GenerationSettings("Euler a", "Automatic", 5, 28, 832, 1216), tags, (), changes)


def test_diff_marks_each_item_by_what_happened_to_it():
    result = _result(
        "1girl, hatsune miku, smile, masterpiece",
        tags=(
            TaggedItem("1girl", Category.PEOPLE),
            TaggedItem("hatsune miku", Category.CHARACTER),
            TaggedItem("smile", Category.GENERAL),
            TaggedItem("masterpiece", Category.QUALITY),
        ),
        changes=(
            Change("moved", "1girl"),
            Change("cleaned", "hatsune miku", "hatsune_miku"),
            Change("added", "masterpiece", reason="quality suffix"),
            Change("removed", "smile", reason="duplicate"),
        ),
    )
    html = diff_html(result)
    chips = {text: classes for classes, text in re.findall(r"<span class='animagine-chip ([^']*)'[^>]*>([^<]*)<", html)}
    assert "animagine-moved" in chips["1girl"] and "animagine-cat-people" in chips["1girl"]
    assert "animagine-cleaned" in chips["hatsune miku"]
    assert "animagine-added" in chips["masterpiece"]
    assert "hatsune_miku</code> → <code>hatsune miku" in html
    assert "1 moved" in html and "1 added" in html and "1 respelled" in html and "1 removed" in html
    assert html.count("animagine-removed") >= 2  # the legend and the struck-through duplicate


ENGINE = Path(__file__).resolve().parents[2] / "animagine_prompt"
STYLE = Path(__file__).resolve().parents[2] / "style.css"


def _engine_codes(pattern: str) -> set[str]:
    return {m for f in ENGINE.rglob("*.py") for m in re.findall(pattern, f.read_text(encoding="utf-8"))}


def _visible_text(html: str) -> str:
    """What a reader sees of an HTML fragment: its text, without tags or attribute values."""
    from html import unescape

    return unescape(re.sub(r"<[^>]*>", " ", html))


def test_every_code_the_engine_emits_has_plain_words():
    from animagine_prompt.categories import CATEGORY_WORDS
    from animagine_prompt.result import CHANGE_WORDS, DIAGNOSTIC_WORDS

    codes = _engine_codes(r'Diagnostic\(\s*"([a-z-]+)"')
    kinds = _engine_codes(r'Change\(\s*"([a-z]+)"')
    assert {"ambiguous-name", "unknown-tag", "internal-error"} <= codes
    assert codes <= set(DIAGNOSTIC_WORDS), codes - set(DIAGNOSTIC_WORDS)
    assert kinds == set(CHANGE_WORDS)
    assert set(CATEGORY_WORDS) == set(Category) == set(CATEGORY_CLASSES)
    assert CATEGORY_WORDS[Category.COPYRIGHT] == "series" and Category.COPYRIGHT.word == "series"
    for category, word in CATEGORY_WORDS.items():  # what the tab shows can be typed into the overrides
        assert Category.parse(word) is category and Category.parse(f" {word.upper()} ") is category


def test_category_legend_is_drawn_from_the_chip_table():
    from animagine_prompt.categories import CATEGORY_WORDS

    legend = category_legend_html()
    found = re.findall(r"<span class='animagine-chip animagine-legend-cat ([^']*)'>([^<]*)<", legend)
    assert found == [(cls, CATEGORY_WORDS[c]) for c, cls in CATEGORY_CLASSES.items()]
    css = STYLE.read_text(encoding="utf-8")
    for category, cls in CATEGORY_CLASSES.items():  # a colour for every category but the plain one
        coloured = re.search(rf"\.animagine-chip\.{cls}\s*\{{[^}}]*border-left-color", css) is not None
        assert coloured is (category is not Category.GENERAL), cls
    result = _result("makima (chainsaw man), chainsaw man", tags=(
        TaggedItem("makima (chainsaw man)", Category.CHARACTER), TaggedItem("chainsaw man", Category.COPYRIGHT)))
    html = diff_html(result)
    assert f"animagine-chip {CATEGORY_CLASSES[Category.COPYRIGHT]}'" in html and legend in html
    assert "title='series'" in html


def test_panels_show_words_not_codes(real_tagdb):
    from animagine_prompt.result import DIAGNOSTIC_WORDS

    view = cb.run_format(session_over(real_tagdb), "makima, 1girl, smlie, masterpiece, (smile:1.3), smile", "", *PANEL)
    kinds = {c.kind for c in view.result.changes}
    codes = {w.code for w in view.result.warnings}
    assert {"moved", "added", "named"} <= kinds and {"unknown-tag", "weight-conflict"} <= codes
    shown = _visible_text(view.diff_html + view.warnings_html)
    for code in DIAGNOSTIC_WORDS:
        assert code not in shown
    for kind in ("named", "cleaned", "copyright", "meta"):
        assert not re.search(rf"\b{kind}\b", shown), kind
    assert "1 renamed" in shown and "different weights:" in shown and "series" in shown
    diagnostic = Diagnostic("ambiguous-name", "'sakura' may be 'a' or 'b': kept as written", "sakura", "a")
    assert "name of several characters:" in _visible_text(warnings_html((diagnostic,)))


def test_diff_escapes_user_text():
    html = diff_html(_result("<script>alert(1)</script>, 1girl"))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_output_items_keep_break_and_take_categories_in_order():
    result = _result(
        "1girl, long hair BREAK smile",
        tags=(TaggedItem("1girl", Category.PEOPLE), TaggedItem("long hair", Category.GENERAL)),
    )
    assert output_items(result) == [("1girl", "people"), ("long hair", "general"), ("BREAK", ""), ("smile", "")]


# -- tokens -------------------------------------------------------------------------------------


def test_items_are_the_engines_items():
    assert split_items("a, (b, c:1.2), <lora:x:1>, [d:e:0.5],, , e") == [
        "a",
        "(b, c:1.2)",
        "<lora:x:1>",
        "[d:e:0.5]",
        "e",
    ]
    assert prompt_items("a BREAK b, BREAK, c") == ["a", "BREAK", "b", "BREAK", "c"]
    text = "1girl,  smile , (long hair:1.2)"
    assert [text[a:b] for a, b in item_spans(text)] == ["1girl", "smile", "(long hair:1.2)"]


def test_chunks_move_whole_tags_to_the_next_chunk():
    items = [f"tag{i}" for i in range(30)]

    def count(text: str) -> int:  # every item costs 3 tokens (with its comma)
        return 3 * len(split_items(text))

    report = chunk_report(items, count, approximate=False)
    assert report.chunks == (75, 15) and report.starts == (0, 25)
    assert report.total == 90 and report.limit == 150
    estimated = chunk_report(["a", "BREAK", "b"], approximate_tokens, approximate=True)
    assert estimated.starts == (0, 2) and estimated.chunks == (1, 2) and estimated.total == 77


def test_host_counts_with_padding_put_the_boundary_after_break():
    def host(text: str) -> int:  # "a" and "b" are one token each; BREAK pads the chunk to 75
        before, _, after = text.partition("BREAK")
        return 75 + len(split_items(after)) if "BREAK" in text else len(split_items(before))

    report = chunk_report(["a", "BREAK", "b"], host, approximate=False)
    assert report.starts == (0, 2) and report.chunks == (75, 1) and report.total == 76


def test_token_panel_uses_host_counter_when_a_model_is_loaded(real_tagdb):
    calls: list[str] = []

    def counter(text: str) -> int:
        calls.append(text)
        return len(split_items(text)) * 20

    session = cb.TabSession(TabContext(load_db=lambda: real_tagdb, presets=load_presets(), token_counter=counter))
    view = cb.run_format(session, "1girl, smile, outdoors, night, rain", "", *PANEL)
    assert "approximate" not in view.tokens_html and "chunk 2" in view.tokens_html
    assert "token chunk 2 starts here" in view.diff_html
    assert calls


def test_token_panel_falls_back_to_labelled_estimate(real_tagdb):
    def unloaded(text: str) -> None:
        return None

    session = cb.TabSession(TabContext(load_db=lambda: real_tagdb, presets=load_presets(), token_counter=unloaded))
    view = cb.run_format(session, "1girl, smile", "", *PANEL)
    assert "approximate" in view.tokens_html and "≈" in view.tokens_html


def test_approximate_tokens_is_close_for_common_tags():
    assert approximate_tokens("1girl, long hair, smile") == 7  # CLIP: 1 girl , long hair , smile
    assert approximate_tokens("") == 0


# -- infotext ----------------------------------------------------------------------------------


def test_infotext_is_the_hosts_paste_format():
    result = FormatResult(
        "1girl, smile\nsecond line",
        "lowres, bad hands",
        GenerationSettings("DPM++ 2M", "Karras", 5.0, 28, 832, 1216),
    )
    assert to_infotext(result) == (
        "1girl, smile\nsecond line\n"
        "Negative prompt: lowres, bad hands\n"
        "Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 5, Size: 832x1216"
    )
    odd = FormatResult("x", "", GenerationSettings("a, b", "s:t", 4.5, 20, 1024, 1024))
    assert to_infotext(odd) == 'x\nSteps: 20, Sampler: "a, b", Schedule type: "s:t", CFG scale: 4.5, Size: 1024x1024'


# -- builder ------------------------------------------------------------------------------------


def test_builder_output_is_the_engines_output_for_the_parts(real_tagdb):
    raw = cb.assemble("1girl", "firefly (honkai: star rail)", "", "safe", "year 2024", "", "smile, night")
    assert raw == "1girl, firefly (honkai: star rail), safe, year 2024, smile, night"
    view = cb.run_format(session_over(real_tagdb), raw, "", *PANEL)
    assert view.result.prompt.startswith("1girl, firefly \\(honkai: star rail\\), honkai: star rail, safe")


def test_character_autocomplete_and_series(real_tagdb):
    session = session_over(real_tagdb)
    names = cb.complete(session, "firefly (honk", Category.CHARACTER)
    assert "firefly (honkai: star rail)" in names
    assert cb.complete(session, "f", Category.CHARACTER) == []  # one letter: too many to be useful
    assert cb.series_for(session, "firefly (honkai: star rail)") == "honkai: star rail"
    assert cb.series_for(session, "") == ""


def test_changing_the_character_replaces_its_series(real_tagdb):
    session = session_over(real_tagdb)
    series = cb.series_on_character(session, "firefly (honkai: star rail)", "", typed=False)
    assert series == "honkai: star rail"
    series = cb.series_on_character(session, "makima (chainsaw man)", series, typed=False)
    assert series == "chainsaw man"
    assert cb.series_on_character(session, "zzyzx nobody", series, typed=False) == ""  # not the last one's
    # A series the user typed is theirs: a new character does not overwrite it.
    assert cb.series_on_character(session, "makima (chainsaw man)", "my own series", typed=True) == "my own series"


def test_sent_infotext_switches_the_accordion_on_with_the_tabs_choices(real_tagdb):
    from animagine_tab import infotext as tab_infotext
    from animagine_webui import infotext as webui_infotext

    for name in ("KEY", "KEY_LOCKS", "KEY_NEGATIVE", "KEY_RATING"):
        assert getattr(tab_infotext, name) == getattr(webui_infotext, name)
    session = session_over(real_tagdb)
    panel = ("animagine-xl-4.0", "832 × 1216 (13:19)", 6, 28, cb.default_flags(), None, "safe")
    view = cb.run_format(session, "1girl, smile", "", *panel)
    settings_line = view.infotext.splitlines()[-1]
    assert "Animagine: animagine-xl-4.0" in settings_line
    # CFG 6 is the user's, not the preset's 5: that lock stays off so generation keeps it.
    assert "Animagine locks: sampler+steps+size" in settings_line
    assert "Animagine negative: on" in settings_line and "Animagine rating: safe" in settings_line


# -- tag database panel -------------------------------------------------------------------------


def test_saved_override_changes_lookups(ctx: TabContext):
    session = cb.TabSession(ctx)
    assert "not in the database" in cb.lookup_md(session, "zzyzx girl")
    saved = cb.save_overrides(session, "zzyzx_girl, character\n")
    status, text = saved.status, saved.text
    assert status.startswith("Saved 1")
    assert text == "zzyzx girl, character\n"
    assert "character (from your overrides)" in cb.lookup_md(session, "zzyzx girl")
    assert ctx.overrides_file is not None and "zzyzx girl,character" in ctx.overrides_file.read_text()
    assert "your overrides" in cb.sources_md(session)
    assert cb.load_overrides(session) == "zzyzx girl, character\n"


def test_bad_override_line_saves_nothing(ctx: TabContext):
    session = cb.TabSession(ctx)
    cb.save_overrides(session, "keep me, general")
    refused = cb.save_overrides(session, "keep me, general\nbroken, no-such-category\njust a tag")
    status, text = refused.status, refused.text
    assert status.startswith("Not saved") and "line 2" in status and "line 3" in status
    assert text.startswith("keep me, general")
    assert ctx.overrides_file is not None and "keep me,general" in ctx.overrides_file.read_text()


def test_unavailable_database_still_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from animagine_tab import app

    def broken(*_args, **_kwargs):
        raise OSError("disk on fire")

    monkeypatch.setattr("animagine_prompt.knowledge.load_knowledge", broken)
    db = app.tagdb_loader(tmp_path)()
    session = session_over(db)
    assert "disk on fire" in cb.sources_md(session)
    assert cb.run_format(session, "1girl, smile", "", *PANEL).result.prompt.startswith("1girl, smile")
    assert cb.complete(session, "hatsu", Category.CHARACTER) == []


def test_app_arguments():
    from animagine_tab.app import parse_args

    args = parse_args([])
    assert (args.host, args.port) == ("127.0.0.1", 7870)
    assert parse_args(["--port", "7999", "--host", "0.0.0.0"]).port == 7999


def test_save_with_a_stale_revision_does_not_overwrite_and_shows_both(ctx: TabContext):
    session = cb.TabSession(ctx)
    mine, mine_rev = cb.open_overrides(session)  # two browser tabs open the editor
    theirs, theirs_rev = cb.open_overrides(session)
    assert mine_rev == theirs_rev
    first = cb.save_overrides(session, theirs + "aaa girl, character\n", theirs_rev)
    assert first.status.startswith("Saved") and first.conflict is None
    stale = cb.save_overrides(session, mine + "bbb girl, character\n", mine_rev)
    assert stale.status.startswith("Not saved") and "changed since you opened it" in stale.status
    assert stale.text == mine + "bbb girl, character\n"  # the user's version, kept in the editor
    assert stale.conflict is not None and "aaa girl, character" in stale.conflict  # and the file's
    assert "aaa girl" in ctx.overrides_file.read_text() and "bbb girl" not in ctx.overrides_file.read_text()
    merged = cb.save_overrides(session, stale.conflict + "bbb girl, character\n", stale.revision)
    assert merged.status.startswith("Saved 2")
    assert "character (from your overrides)" in cb.lookup_md(session, "aaa girl")
    assert "character (from your overrides)" in cb.lookup_md(session, "bbb girl")
