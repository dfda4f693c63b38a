"""Presets for the models Animagine users switch between (issue 13, item 4).

Each preset is data with its source in ``data/presets.toml``; these tests check what a user
of that model would see: the quality tags where its card puts them, its negative as the card
writes it, its own rating words, and a checkpoint name choosing it.
"""

from __future__ import annotations

import pytest

from animagine_prompt.formatter import format_prompt
from animagine_prompt.options import FormatOptions
from animagine_prompt.presets import PresetError, get_preset, load_presets, preset_for_checkpoint

PRESETS = load_presets()
PONY = get_preset("pony-diffusion-v6-xl")
NOOB = get_preset("noobai-xl")
ILLU = get_preset("illustrious-xl")
V40 = get_preset("animagine-xl-4.0")
PONY_PREFIX = "score_9, score_8_up, score_7_up, score_6_up, score_5_up, score_4_up"


@pytest.fixture()
def fmt(real_tagdb):
    def run(prompt: str, preset, **kw):
        return format_prompt(prompt, db=real_tagdb, preset=preset, **kw)

    return run


def test_pony_opens_with_its_score_string_once_with_underscores(fmt):
    result = fmt("1girl, smile, score_9, source_anime", PONY)
    assert result.prompt.startswith(PONY_PREFIX + ", ")
    assert result.prompt.count("score_9") == 1
    assert "source_anime" in result.prompt
    assert not result.warnings, result.warnings  # its own vocabulary is no mismatch under Pony


def test_pony_vocabulary_still_warns_under_animagine(fmt):
    result = fmt("1girl, score_9", V40)
    assert any(w.code == "model-mismatch" and "Animagine XL 4.0 was not trained" in w.message for w in result.warnings)


def test_pony_rating_choice_uses_ponys_rating_tag(fmt):
    result = fmt("1girl, smile", PONY, options=FormatOptions(rating="safe"))
    assert "rating_safe" in result.prompt.split(", ")
    assert "safe" not in result.prompt.split(", ")
    again = fmt("1girl, rating_safe, smile", PONY, options=FormatOptions(rating="safe"))
    assert again.prompt.count("rating_safe") == 1


def test_pony_has_no_negative_of_its_own(fmt):
    assert fmt("1girl", PONY, negative="lowres").negative_prompt == "lowres"


def test_noobai_prefix_comes_first_and_users_quality_follows(fmt):
    result = fmt("1girl, good quality, smile, masterpiece", NOOB)
    assert result.prompt.startswith("masterpiece, best quality, newest, absurdres, highres, ")
    assert result.prompt.count("masterpiece") == 1
    assert result.prompt.index("good quality") < result.prompt.index("1girl")  # a user's quality tag joins the prefix


def test_noobai_negative_keeps_both_words_its_card_lists(fmt):
    # Danbooru aliases anthro to furry; the card wants both, and a user's own "furry" still counts.
    negative = fmt("1girl", NOOB).negative_prompt.split(", ")
    assert "anthro" in negative and "furry" in negative
    assert fmt("1girl", NOOB, negative="furry").negative_prompt.split(", ").count("furry") == 1


def test_illustrious_closes_with_its_quality_tags(fmt):
    result = fmt("smile, 1girl", ILLU)
    assert result.prompt == "1girl, smile, masterpiece, best quality, very aesthetic"


@pytest.mark.parametrize("preset", list(PRESETS.values()), ids=list(PRESETS))
@pytest.mark.parametrize(
    "prompt",
    [
        "hatsune_miku, 1girl, smile, masterpiece",
        "1girl, (smile:1.2) BREAK night, sky",
        "1girl, smile AND 1boy, night :0.7",
        "[cat:dog:0.5], 1girl, <lora:x:0.8>",
        "",
    ],
)
def test_every_preset_is_idempotent(fmt, preset, prompt):
    once = fmt(prompt, preset)
    assert once.error is None
    assert fmt(once.prompt, preset).prompt == once.prompt


@pytest.mark.parametrize(
    ("checkpoint", "preset"),
    [
        ("animagine-xl-4.0-opt.safetensors", "animagine-xl-4.0"),
        ("animagineXL40_v4Opt", "animagine-xl-4.0"),
        ("animagine-xl-3.1 [e3c47aedb0]", "animagine-xl-3.1"),
        ("ponyDiffusionV6XL_v6StartWithThisOne", "pony-diffusion-v6-xl"),
        ("noobaiXLNAIXL_epsilonPred11Version", "noobai-xl"),
        ("waiNSFWIllustrious_v110", "illustrious-xl"),
        ("sd_xl_base_1.0", None),
        ("", None),
    ],
)
def test_checkpoint_name_selects_its_preset(checkpoint, preset):
    assert preset_for_checkpoint(checkpoint, PRESETS) == preset


@pytest.mark.parametrize(
    ("name", "preset"),
    [
        ("pony", "pony-diffusion-v6-xl"),
        ("NoobAI", "noobai-xl"),
        ("Illustrious XL", "illustrious-xl"),
        ("4", "animagine-xl-4.0"),
        ("animagine-xl-9", None),
    ],
)
def test_one_name_rule_accepts_the_family_word(name, preset):
    if preset is None:
        with pytest.raises(PresetError):
            get_preset(name)
    else:
        assert get_preset(name).name == preset


def test_unknown_name_lists_every_preset():
    with pytest.raises(PresetError) as err:
        get_preset("sd15")
    for name in PRESETS:
        assert name in str(err.value)


def test_bad_quality_position_is_a_clear_error(tmp_path):
    user = tmp_path / "presets.toml"
    user.write_text('["pony-diffusion-v6-xl"]\nquality_position = "middle"\n', encoding="utf-8")
    with pytest.raises(PresetError, match="quality_position must be one of end, start"):
        load_presets(user)
