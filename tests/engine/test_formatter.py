"""The engine on real tags: the model card's examples, messy user prompts, and every rule of issue 3."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.tagtable import FailingTable

from animagine_prompt.categories import Category
from animagine_prompt.formatter import format_prompt
from animagine_prompt.options import FormatOptions, Placement
from animagine_prompt.presets import get_preset

V40 = get_preset("animagine-xl-4.0")
V31 = get_preset("animagine-xl-3.1")
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "animagine-xl-4.0-model-card.txt"

CARD_FIREFLY = (
    r"1girl, firefly \(honkai: star rail\), honkai \(series\), honkai: star rail, safe, casual, solo, "
    r"looking at viewer, outdoors, smile, reaching towards viewer, night, "
    r"masterpiece, high score, great score, absurdres"
)
CARD_COSPLAY = (
    r"1girl, arima kana, oshi no ko, hoshimachi suisei, hoshimachi suisei \(1st costume\), cosplay, "
    r"looking at viewer, smile, outdoors, night, v, masterpiece, high score, great score, absurdres"
)


@pytest.fixture()
def fmt(real_tagdb):
    def run(prompt: str, **kw):
        kw.setdefault("preset", V40)
        return format_prompt(prompt, db=real_tagdb, **kw)

    return run


@pytest.mark.parametrize("prompt", [CARD_FIREFLY, CARD_COSPLAY])
def test_model_card_examples_come_out_unchanged(fmt, prompt):
    result = fmt(prompt)
    assert result.prompt == prompt
    assert [c for c in result.changes if c.kind != "cleaned"] == []


def test_messy_prompt_is_put_in_template_order(fmt):
    out = fmt("masterpiece, smile, long_hair, Hatsune_Miku, 1girl, vocaloid, safe").prompt
    assert out == (
        "1girl, hatsune miku, vocaloid, safe, smile, long hair, masterpiece, high score, great score, absurdres"
    )


def test_bare_parentheses_of_a_character_tag_are_escaped_and_its_series_added(fmt):
    result = fmt("firefly (honkai: star rail), 1girl, night")
    assert result.prompt == (
        r"1girl, firefly \(honkai: star rail\), honkai: star rail, night, "
        "masterpiece, high score, great score, absurdres"
    )
    added = [c.text for c in result.changes if c.kind == "added"]
    assert added[0] == "honkai: star rail"


def test_series_completion_can_be_switched_off(fmt):
    out = fmt("makima_(chainsaw_man), 1girl", options=FormatOptions(add_series=False)).prompt
    assert out.startswith(r"1girl, makima \(chainsaw man\), masterpiece")


def test_series_written_before_every_character_moves_after_them(fmt):
    out = fmt("vocaloid, smile, hatsune miku, 1girl").prompt
    assert out.startswith("1girl, hatsune miku, vocaloid, smile, ")


def test_series_written_after_its_character_stays_with_it(fmt):
    out = fmt("arima kana, oshi no ko, hatsune miku, vocaloid, 1girl, 2girls").prompt
    assert out.startswith("1girl, 2girls, arima kana, oshi no ko, hatsune miku, vocaloid, ")


def test_weighted_items_move_as_units_with_their_weights(fmt):
    out = fmt("smile, (hatsune_miku:1.2), <lora:My_Lora-v2:0.8>, ((1girl, solo:1.3)), [night:day:0.5]").prompt
    assert out.startswith("((1girl, solo:1.3)), (hatsune miku:1.2), ")
    assert "<lora:My_Lora-v2:0.8>" in out  # LoRA names keep their exact spelling
    assert "[night:day:0.5]" in out


def test_nothing_crosses_a_break_or_an_and(fmt):
    out = fmt("smile, 1girl BREAK night, hatsune miku AND solo, 1boy:0.7").prompt
    assert out.count(" BREAK ") == 1 and out.count(" AND ") == 1
    first, rest = out.split(" BREAK ")
    assert first == "1girl, smile"
    second, third = rest.split(" AND ")
    assert second.startswith("hatsune miku, vocaloid, night, masterpiece")
    assert third.startswith("1boy, solo, masterpiece") and third.endswith(":0.7")


def test_quality_suffix_only_adds_what_is_missing_and_moves_the_users_own(fmt):
    result = fmt("(masterpiece:1.2), absurdres, 1girl, smile")
    assert result.prompt == "1girl, smile, (masterpiece:1.2), high score, great score, absurdres"
    assert [c.text for c in result.changes if c.kind == "added"] == ["high score", "great score"]


def test_users_extra_quality_tags_go_before_the_presets_suffix(fmt):
    result = fmt("1girl, masterpiece, best quality")
    assert result.prompt == "1girl, best quality, masterpiece, high score, great score, absurdres"
    assert fmt(result.prompt).prompt == result.prompt


def test_quality_tags_keep_the_users_order_before_the_suffix(fmt):
    out = fmt("absurdres, best quality, 1girl, (low score:0.5), masterpiece").prompt
    assert out == "1girl, best quality, (low score:0.5), masterpiece, high score, great score, absurdres"


def test_duplicates_are_kept_once_and_differing_weights_warned(fmt):
    result = fmt("1girl, smile, Smile, smile, (smile:1.2)")
    assert result.prompt.startswith("1girl, smile, (smile:1.2), masterpiece")  # "Smile" is the tag, respelled
    assert [c.text for c in result.changes if c.kind == "removed"] == ["smile", "smile"]


def test_exact_duplicate_of_known_tag_is_removed(fmt):
    result = fmt("1girl, hatsune_miku, hatsune miku, (hatsune miku:1.2)")
    assert result.prompt.startswith(r"1girl, hatsune miku, vocaloid, (hatsune miku:1.2), masterpiece")
    assert any(w.code == "weight-conflict" for w in result.warnings)


def test_formatting_is_idempotent_on_examples(fmt):
    for prompt in ["masterpiece, smile, Hatsune_Miku, 1girl", CARD_FIREFLY, "a), (b, c", "x:0.5, 1girl, y"]:
        once = fmt(prompt).prompt
        assert fmt(once).prompt == once


# A user's prompt from the model card's comments (../shared/seed/), exactly as posted: quality
# tags first, weights, top-level "|", a LoRA, one tag group per line.
SEED_PROMPT = """masterpiece, high score, great score, absurdres,
(nsfw:1.3),
(1girl:1.4),
higuchi madoka, idolmaster,
(light-blue theme:1.1) | white theme,
(cheongsam:1.2), side-tie panties | himopan,
pussy juice,
facing viewer, look at viewer, spread legs,
indoors, gaming chair,
navel, covered navel,
<lora:covered navel XL-v1:0.8>,"""


def test_seed_prompt_is_the_one_in_the_model_card():
    if not SEED.exists():
        pytest.skip("the seed model card is not beside this checkout")
    assert SEED_PROMPT in SEED.read_text(encoding="utf-8")


def test_seed_user_prompt_is_ordered_with_weights_and_lora_intact(fmt):
    out = fmt(SEED_PROMPT).prompt
    # higuchi madoka's series is idolmaster shiny colors; the written franchise already names it.
    assert out.startswith("(1girl:1.4), higuchi madoka, idolmaster, (nsfw:1.3), ")
    assert out.endswith("<lora:covered navel XL-v1:0.8>, masterpiece, high score, great score, absurdres")
    # Danbooru aliases "cheongsam" to "china dress": the model learned the tag under that name.
    for piece in ["(light-blue theme:1.1) | white theme", "(china dress:1.2)", "side-tie panties | himopan"]:
        assert piece in out


def test_negative_prompt_merges_users_first_without_repeats(fmt):
    neg = fmt("1girl", negative="(bad hands:1.1), lowres, nsfw").negative_prompt
    items = [t.strip() for t in neg.split(",")]
    assert items[:3] == ["(bad hands:1.1)", "lowres", "nsfw"]
    assert "bad hands" not in items and items.count("lowres") == 1
    assert items[-1] == "blurry"


def test_negative_injection_off_leaves_the_users_negative(fmt):
    assert fmt("1girl", negative="lowres", options=FormatOptions(inject_negative=False)).negative_prompt == "lowres"


def test_rating_is_inserted_after_series_only_when_asked_and_missing(fmt):
    assert fmt("smile, 1girl, hatsune miku, vocaloid", options=FormatOptions(rating="safe")).prompt.startswith(
        "1girl, hatsune miku, vocaloid, safe, smile"
    )
    assert "safe" not in fmt("smile, 1girl").prompt.split(", ")
    assert fmt("nsfw, 1girl", options=FormatOptions(rating="safe")).prompt.startswith("1girl, nsfw,")


@pytest.mark.parametrize(
    ("placement", "expected"),
    [
        (Placement.GENERAL, "1girl, smile, ciloranko, year 2024, night, masterpiece"),
        (Placement.AFTER_RATING, "1girl, ciloranko, year 2024, smile, night, masterpiece"),
        (Placement.BEFORE_QUALITY, "1girl, smile, night, ciloranko, year 2024, masterpiece"),
    ],
)
def test_artist_and_year_placement_is_a_setting(fmt, placement, expected):
    out = fmt("smile, ciloranko, year 2024, night, 1girl", options=FormatOptions(placement=placement)).prompt
    assert out.startswith(expected)


def test_underscores_can_be_kept(fmt):
    out = fmt("long_hair, 1girl, hatsune_miku", options=FormatOptions(replace_underscores=False)).prompt
    assert out.startswith("1girl, hatsune_miku, ")
    assert "long_hair" in out


def test_emoticons_keep_their_underscores(fmt):
    out = fmt("^_^, 1girl, >_<").prompt
    assert out.startswith("1girl, ^_^, >_<")


def test_unbalanced_segment_is_not_reordered_and_suffix_stays_outside_the_open_bracket(fmt):
    out = fmt("smile, 1girl, (night, hatsune miku").prompt
    assert out == "smile, 1girl, masterpiece, high score, great score, absurdres, (night, hatsune miku"


def test_tags_list_categories_in_output_order(fmt):
    result = fmt("smile, hatsune_miku, vocaloid, 1girl, <lora:x:1>, __colors__, absurdres")
    cats = [(t.text, t.category) for t in result.tags]
    assert cats[:3] == [
        ("1girl", Category.PEOPLE),
        ("hatsune miku", Category.CHARACTER),
        ("vocaloid", Category.COPYRIGHT),
    ]
    assert ("<lora:x:1>", Category.NETWORK) in cats and ("__colors__", Category.WILDCARD) in cats
    assert cats[-1] == ("absurdres", Category.META)


def test_settings_are_the_presets_with_size_snapped_to_a_bucket(fmt):
    s = fmt("1girl", width=1920, height=1080).settings
    assert (s.sampler_name, s.cfg_scale, s.steps) == ("Euler a", 5.0, 28)
    assert (s.width, s.height) == (1344, 768)
    assert (fmt("1girl").settings.width, fmt("1girl").settings.height) == (832, 1216)
    assert fmt("1girl", preset=V31).settings.cfg_scale == 7.0


@pytest.mark.parametrize(
    ("prompt", "kw", "code"),
    [
        ("1girl, a girl is standing in the rain with her umbrella", {}, "natural-language"),
        ("1girl, masterpeice", {}, "unknown-tag"),
        ("1girl, 2girls", {}, "people-conflict"),
        ("no humans, 1girl", {}, "people-conflict"),
        ("safe, nsfw, 1girl", {}, "rating-conflict"),
        ("1girl, worst quality", {}, "negative-quality"),
        ("1girl, very aesthetic", {}, "model-mismatch"),
        ("1girl", {"width": 2048, "height": 2048}, "size-too-large"),
        ("1girl", {"width": 1000, "height": 1000}, "size-off-bucket"),
        ("1girl", {"cfg_scale": 12.0}, "cfg-range"),
        ("1girl", {"steps": 50}, "steps-range"),
    ],
)
def test_lint_reports_problems(fmt, prompt, kw, code):
    assert code in {w.code for w in fmt(prompt, **kw).warnings}


def test_lint_on_a_clean_prompt_is_quiet(fmt):
    assert fmt(CARD_FIREFLY, width=832, height=1216, cfg_scale=5, steps=28).warnings == ()


def test_score_tags_are_3_1_mismatch_under_the_3_1_preset(fmt):
    result = fmt("1girl, high score", preset=V31)
    assert "model-mismatch" in {w.code for w in result.warnings}
    assert result.prompt.endswith("high score, masterpiece, best quality, very aesthetic, absurdres")


def test_an_internal_error_returns_the_prompt_as_written():
    result = format_prompt("smile, 1girl", db=FailingTable(), preset=V40, negative="lowres")
    assert result.prompt == "smile, 1girl" and result.negative_prompt == "lowres"
    assert result.error and "index is gone" in result.error
