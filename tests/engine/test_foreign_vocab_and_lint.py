"""Other models' vocabulary kept as written, and the lint findings of issue 13."""

from __future__ import annotations

import pytest

from animagine_prompt.formatter import format_prompt
from animagine_prompt.presets import get_preset

V40 = get_preset("animagine-xl-4.0")
PONY = "score_9, score_8_up, source_anime, rating_safe"


@pytest.fixture()
def fmt(real_tagdb):
    def run(prompt: str, **kw):
        kw.setdefault("preset", V40)
        return format_prompt(prompt, db=real_tagdb, **kw)

    return run


def codes(result) -> list[str]:
    return [w.code for w in result.warnings]


def test_pony_vocabulary_keeps_its_underscores_and_its_place(fmt):
    result = fmt(f"1girl, {PONY}, smile")
    assert result.prompt == f"1girl, {PONY}, smile, masterpiece, high score, great score, absurdres"
    assert [c for c in result.changes if c.kind in ("cleaned", "moved")] == []


def test_rating_safe_is_not_moved_into_the_rating_slot(fmt):
    out = fmt("rating_safe, 1girl, smile, safe").prompt
    assert out.startswith("1girl, safe, rating_safe, smile, ")


def test_pony_vocabulary_is_flagged_once_per_tag_and_is_stable(fmt):
    result = fmt(f"1girl, {PONY}")
    flagged = [w.subject for w in result.warnings if w.code == "model-mismatch"]
    assert flagged == PONY.split(", ")
    assert fmt(result.prompt).prompt == result.prompt


@pytest.mark.parametrize("prompt", ["2girls, multiple girls", "3boys, multiple boys, 1girl", "6+girls, multiple girls"])
def test_implied_people_tags_do_not_conflict(fmt, prompt):
    assert "people-conflict" not in codes(fmt(prompt))


@pytest.mark.parametrize("prompt", ["1girl, 2girls", "1girl, multiple girls", "no humans, 1boy"])
def test_real_people_conflicts_still_warn(fmt, prompt):
    assert "people-conflict" in codes(fmt(prompt))


def test_same_tag_at_different_weights_warns_once(fmt):
    result = fmt("1girl, smile, (smile:1.3)")
    assert codes(result).count("weight-conflict") == 1
    assert result.prompt.startswith("1girl, smile, (smile:1.3), ")  # both kept


def test_non_ascii_text_that_is_no_tag_warns(fmt):
    result = fmt("初音ミク, 1girl")
    assert codes(result) == ["non-ascii"]
    assert "初音ミク" in result.prompt  # kept, never dropped


@pytest.mark.parametrize("prompt", ["", "   ", " , ,"])
def test_an_empty_prompt_warns(fmt, prompt):
    assert codes(fmt(prompt)) == ["empty-prompt"]


def test_a_prompt_of_only_a_lora_is_not_empty(fmt):
    assert "empty-prompt" not in codes(fmt("<lora:style:0.8>"))
