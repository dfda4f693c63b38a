"""Infotext written by a generation restores the accordion exactly when pasted back."""

from __future__ import annotations

from modules import scripts, shared
from modules.infotext_utils import NO_CHANGE, parse_generation_parameters, paste

from animagine_webui import infotext
from animagine_webui.args import ARG_NAMES


def our_fields(runner):
    script = runner.script("Animagine XL")
    return [f for f in runner.infotext_fields if f.component in script.controls]


def test_paste_restores_every_control(host, fake_engine):
    chosen = {
        "enabled": True,
        "preset": "animagine-xl-3.1",
        "lock_sampler": True,
        "lock_cfg": False,
        "lock_steps": True,
        "lock_size": False,
        "inject_negative": False,
        "rating": "sensitive",
    }
    _, res = host.txt2img("1girl, smile", chosen)
    fields = our_fields(scripts.scripts_txt2img)
    assert len(fields) == len(ARG_NAMES)
    values, _ = paste(res.infotexts[0], fields)
    assert dict(zip(ARG_NAMES, values)) == chosen


def test_paste_without_animagine_switches_off_and_leaves_the_rest(host, fake_engine):
    _, res = host.txt2img("1girl, smile", None)
    values, _ = paste(res.infotexts[0], our_fields(scripts.scripts_txt2img))
    assert values[0] is False
    assert values[1:] == [NO_CHANGE] * (len(ARG_NAMES) - 1)


def test_pasted_prompt_is_the_formatted_one_by_default_and_the_original_on_request(host, fake_engine):
    shared.prompt_styles = shared.PromptStyles({"cinema": ("cinematic", "")})
    _, res = host.txt2img("1girl, smile", {"enabled": True}, styles=["cinema"])
    _, params = paste(res.infotexts[0], our_fields(scripts.scripts_txt2img))
    assert params["Prompt"] == res.infotexts[0].splitlines()[0]

    shared.opts.animagine_paste_original = True
    _, params = paste(res.infotexts[0], our_fields(scripts.scripts_txt2img))
    assert params["Prompt"] == "1girl, smile"  # the style's text came back as the style
    assert params["Styles array"] == ["cinema"]
    assert params["Negative prompt"] == ""


def test_original_prompt_with_commas_colons_and_newlines_round_trips(host, fake_engine):
    prompt = 'firefly \\(honkai: star rail\\), "quoted"\nBREAK, smile'
    _, res = host.txt2img(prompt, {"enabled": True})
    params = parse_generation_parameters(res.infotexts[0], [])
    assert params[infotext.KEY_ORIGINAL] == prompt


def test_per_image_originals_follow_each_image(host, fake_engine):
    prompts = ["1girl, smile", "1boy, frown"]
    p, res = host.txt2img(prompts, {"enabled": True}, batch_size=1, n_iter=2)
    originals = [parse_generation_parameters(t, [])[infotext.KEY_ORIGINAL] for t in res.infotexts[1:]]
    assert originals == prompts
    assert parse_generation_parameters(res.infotexts[0], [])[infotext.KEY_ORIGINAL] == prompts[0]  # grid


def test_keys_are_parseable_names_and_values_unquoted_where_possible(host, fake_engine):
    _, res = host.txt2img("1girl", {"enabled": True, "rating": "safe"})
    last = res.infotexts[0].splitlines()[-1]
    assert "Animagine: animagine-xl-4.0," in last
    assert "Animagine locks: sampler+cfg+steps+size," in last
    params = parse_generation_parameters(res.infotexts[0], [])
    for key in (infotext.KEY, infotext.KEY_LOCKS, infotext.KEY_NEGATIVE, infotext.KEY_RATING, infotext.KEY_VERSION):
        assert key in params
