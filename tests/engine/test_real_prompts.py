"""Prompts people really posted (tests/fixtures/real_prompts.jsonl), through the formatter.

Each must come out with the host's meaning kept (the pure-Python oracle; the real hosts'
parsers check that oracle in tests/hostparser), unchanged by a second pass, and without the
false alarms these prompts showed (issue 13: "no warning fires that a user would call wrong").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import hostsem, meaning

from animagine_prompt.formatter import format_prompt
from animagine_prompt.presets import load_presets, preset_for_checkpoint

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real_prompts.jsonl"
ROWS = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines() if line.strip()]
PRESETS = load_presets()


def _preset(row):
    return PRESETS[preset_for_checkpoint(row["model"], PRESETS) or "animagine-xl-4.0"]


@pytest.mark.parametrize("row", ROWS, ids=[f"{i}:{r['prompt'][:30]}" for i, r in enumerate(ROWS)])
def test_real_prompt_keeps_its_meaning_and_settles(real_tagdb, row):
    preset = _preset(row)
    result = format_prompt(row["prompt"], db=real_tagdb, preset=preset, negative=row["negative"])
    assert result.error is None
    again = format_prompt(result.prompt, db=real_tagdb, preset=preset, negative=result.negative_prompt)
    assert again.prompt == result.prompt
    assert again.negative_prompt == result.negative_prompt
    for dialect in (hostsem.A1111, hostsem.REFORGE):
        read = {"dialect": dialect, "replace_underscores": True, "plain_names": True}
        try:
            before = meaning.meaning(meaning.as_separated(row["prompt"], result.changes), real_tagdb, **read)
        except hostsem.HostError:
            continue
        after = meaning.meaning(result.prompt, real_tagdb, **read)
        exempt = meaning.exempt_keys(result.changes, real_tagdb, dialect=dialect, plain_names=True)
        diffs = meaning.differences(before, after, exempt=exempt)
        assert not diffs, f"{dialect.name}: " + "; ".join(diffs[:3])


def _suggestions(result):
    return {w.subject: w.suggestion for w in result.warnings if w.code == "unknown-tag"}


@pytest.mark.parametrize(
    "phrase", ["bangs", "glass tube", "dark theme", "black eye patch", "perfect skin", "big eyes", "kawaii"]
)
def test_real_words_without_a_tag_get_no_did_you_mean(real_tagdb, phrase):
    # Seen in the fixtures: 'bangs' -> 'bans', 'glass tube' -> 'glass table', 'kawaii' -> 'kawajiri'.
    result = format_prompt(f"1girl, {phrase}", db=real_tagdb, preset=PRESETS["animagine-xl-4.0"])
    assert phrase not in _suggestions(result)


@pytest.mark.parametrize(
    ("typo", "tag"),
    [("smlie", "smile"), ("long hiar", "long hair"), ("absurdes", "absurdres"), ("masterpeice", "masterpiece")],
)
def test_typos_still_get_their_tag(real_tagdb, typo, tag):
    result = format_prompt(f"1girl, {typo}", db=real_tagdb, preset=PRESETS["animagine-xl-4.0"])
    assert _suggestions(result).get(typo) == tag


def test_an_emoticon_does_not_pin_its_segment(real_tagdb):
    # ":)" is text to the host wherever it stands (nothing is open at depth 0): the segment is
    # still ordered and deduplicated, and formatting twice gives the same text.
    result = format_prompt("smile, :), 1girl, masterpiece, smile", db=real_tagdb, preset=PRESETS["animagine-xl-4.0"])
    assert result.prompt.startswith("1girl, ")
    assert not [w for w in result.warnings if w.code == "unbalanced"]
    assert format_prompt(result.prompt, db=real_tagdb, preset=PRESETS["animagine-xl-4.0"]).prompt == result.prompt
