"""Generation through the host double: every prompt list, locks before init, the user's p.prompt."""

from __future__ import annotations

from modules import errors, processing, shared
from support.tagtable import FailingTable

from animagine_prompt.formatter import format_prompt
from animagine_prompt.options import FormatOptions
from animagine_prompt.presets import get_preset
from animagine_prompt.resolution import snap_resolution
from animagine_webui import engine as adapter_engine
from animagine_webui import infotext

PRESET = get_preset("animagine-xl-4.0")
SUFFIX = ", ".join(PRESET.quality_suffix)


def params_of(text: str) -> dict:
    from modules.infotext_utils import parse_generation_parameters

    return parse_generation_parameters(text, [])


def test_batch_of_four_with_hires_formats_every_list_and_the_infotext(host, fake_engine):
    p, res = host.txt2img("1girl, smile", {"enabled": True}, batch_size=2, n_iter=2, enable_hr=True)

    expected = fake_engine("1girl, smile", db=None, preset=PRESET, options=FormatOptions(), negative="")
    assert p.all_prompts == [expected.prompt] * 4
    assert p.all_negative_prompts == [expected.negative_prompt] * 4
    assert p.all_hr_prompts == [expected.prompt] * 4
    assert p.all_hr_negative_prompts == [expected.negative_prompt] * 4
    assert p.main_prompt == expected.prompt and p.main_negative_prompt == expected.negative_prompt
    for batch in p.sampled:  # what conditioning and the hires pass actually used
        assert batch["prompts"] == [expected.prompt] * 2
        assert batch["negatives"] == [expected.negative_prompt] * 2
        assert batch["hr_prompts"] == [expected.prompt] * 2
    images = res.infotexts[res.index_of_first_image :]
    assert len(images) == 4
    for text in images:
        assert text.splitlines()[0] == expected.prompt
        params = params_of(text)
        assert params[infotext.KEY_ORIGINAL] == "1girl, smile"
        assert params[infotext.KEY] == "animagine-xl-4.0"
        assert "Hires prompt" not in params  # hires lists match the first pass
    assert params_of(res.infotexts[0])[infotext.KEY_ORIGINAL] == "1girl, smile"  # the grid


def test_users_prompt_is_never_mutated_and_a_second_run_is_identical(host, fake_engine):
    first_p, first = host.txt2img("1girl, smile", {"enabled": True})
    again = processing.process_images(first_p)  # the img2img batch loop and X/Y/Z reuse p like this
    assert first_p.prompt == "1girl, smile"
    assert again.infotexts == first.infotexts
    assert first_p.all_prompts[0].count(PRESET.quality_suffix[0]) == 1


def test_off_by_default_leaves_everything_alone(host, fake_engine):
    p, res = host.txt2img("1girl_smile", None, width=1000, height=600)
    assert p.all_prompts == ["1girl_smile"]
    assert (p.sampler_name, p.scheduler, p.steps, p.cfg_scale, p.width, p.height) == (
        "DPM++ 2M",
        "Karras",
        20,
        7.0,
        1000,
        600,
    )
    assert not any(key.startswith("Animagine") for key in params_of(res.infotexts[0]))


def test_locks_apply_before_init_so_noise_and_hires_use_the_snapped_size(host, fake_engine):
    p, res = host.txt2img("1girl", {"enabled": True}, width=1000, height=600, enable_hr=True, hr_scale=2.0)
    w, h = snap_resolution(1000, 600, PRESET.resolutions)
    batch = p.sampled[0]
    assert batch["size"] == (w, h)
    assert batch["rng_shape"] == (4, h // 8, w // 8)
    assert batch["hr_target"] == (w * 2, h * 2)
    assert (batch["sampler"], batch["scheduler"], batch["steps"], batch["cfg"]) == ("Euler a", "Automatic", 28, 5.0)
    params = params_of(res.infotexts[0])
    assert (params["Size-1"], params["Size-2"]) == (str(w), str(h))
    assert params[infotext.KEY_LOCKS] == "sampler+cfg+steps+size"


def test_each_lock_can_be_switched_off(host, fake_engine):
    p, _ = host.txt2img(
        "1girl",
        {"enabled": True, "lock_sampler": False, "lock_cfg": False, "lock_steps": True, "lock_size": False},
        width=1000,
        height=600,
    )
    assert (p.sampler_name, p.scheduler, p.cfg_scale, p.steps, p.width, p.height) == (
        "DPM++ 2M",
        "Karras",
        7.0,
        28,
        1000,
        600,
    )


def test_reforge_hires_cfg_follows_the_locked_cfg(host, fake_engine):
    cls = processing.StableDiffusionProcessingTxt2ImgReForge
    p, _ = host.txt2img("1girl", {"enabled": True}, cls=cls, enable_hr=True, hr_cfg=3.0)
    assert p.sampled[0]["cfg"] == 5.0 and p.sampled[0]["hr_cfg"] == 5.0
    p, _ = host.txt2img("1girl", {"enabled": True}, cls=cls, enable_hr=True, hr_cfg=0)  # 0 = "follow"
    assert p.sampled[0]["hr_cfg"] == 5.0
    p, _ = host.txt2img("1girl", {"enabled": True, "lock_cfg": False}, cls=cls, enable_hr=True, hr_cfg=3.0)
    assert p.sampled[0]["hr_cfg"] == 3.0


def test_legacy_combined_sampler_name_in_a_user_preset_is_split(host, fake_engine):
    adapter_engine.PRESETS.user_file.write_text(
        '["animagine-xl-4.0"]\nsampler_name = "DPM++ 2M Karras"\nscheduler = "Automatic"\n', encoding="utf-8"
    )
    p, res = host.txt2img("1girl", {"enabled": True}, sampler_name="Euler", scheduler="Automatic")
    assert (p.sampler_name, p.scheduler) == ("DPM++ 2M", "Karras")
    assert p.sampled[0]["sampler"] == "DPM++ 2M"  # create_sampler accepted it


def test_unknown_sampler_in_a_user_preset_is_reported_not_silently_replaced(host, fake_engine, capsys):
    adapter_engine.PRESETS.user_file.write_text('["animagine-xl-4.0"]\nsampler_name = "Nope a"\n', encoding="utf-8")
    p, res = host.txt2img("1girl", {"enabled": True}, sampler_name="Euler", scheduler="Automatic")
    assert p.sampler_name == "Euler"
    assert "Nope a" in params_of(res.infotexts[0])[infotext.KEY_WARNING]
    assert "Nope a" in capsys.readouterr().out
    assert p.cfg_scale == 5.0  # the other locks still apply


def test_engine_exception_still_makes_the_image_with_the_prompt_unchanged(host, capsys):
    adapter_engine.KNOWLEDGE_BASE.set_loader(lambda: FailingTable("engine exploded\nsecond line"))
    p, res = host.txt2img("1girl, smile", {"enabled": True}, batch_size=2)
    assert len(res.images) == 3  # grid + 2
    assert p.all_prompts == ["1girl, smile"] * 2 and p.prompt == "1girl, smile"
    params = params_of(res.infotexts[1])
    assert "RuntimeError: engine exploded second line" in params[infotext.KEY_ERROR]
    assert "left as written" in params[infotext.KEY_ERROR]
    out = capsys.readouterr().out
    assert out.count("[Animagine XL]") == 1 and "engine exploded" in out
    assert errors.reported == []  # handled by us, not by the host's hook wrapper


def test_engine_error_result_leaves_every_prompt_as_written(host, monkeypatch):
    from dataclasses import replace

    def refuses(prompt, **kwargs):
        result = format_prompt(prompt, **kwargs)
        return replace(result, prompt=prompt, error="unbalanced brackets" if "(" in prompt else None)

    monkeypatch.setattr(adapter_engine, "format_prompt", refuses)
    p, res = host.txt2img(["ok, fine", "bad (one"], {"enabled": True}, batch_size=2)
    assert p.all_prompts == ["ok, fine", "bad (one"]  # all or nothing
    assert params_of(res.infotexts[1])[infotext.KEY_ERROR] == "unbalanced brackets"


def test_knowledge_base_failure_prints_one_line_and_formatting_still_runs(host, fake_engine, capsys):
    def no_db():
        raise FileNotFoundError("tags/.index missing")

    adapter_engine.KNOWLEDGE_BASE.set_loader(no_db)
    p, _ = host.txt2img("1girl", {"enabled": True})
    host.txt2img("1girl", {"enabled": True})
    assert p.all_prompts[0].endswith(SUFFIX)
    lines = [line for line in capsys.readouterr().out.splitlines() if "tag database" in line]
    assert len(lines) == 1 and "tags/.index missing" in lines[0]


def test_styles_are_applied_before_formatting_and_kept_in_the_original(host, fake_engine):
    shared.prompt_styles = shared.PromptStyles({"cinema": ("cinematic", "blurry")})
    p, res = host.txt2img("1girl", {"enabled": True}, styles=["cinema"])
    assert p.all_prompts[0] == f"1girl, cinematic, {SUFFIX}"
    assert params_of(res.infotexts[0])[infotext.KEY_ORIGINAL] == "1girl, cinematic"


def test_separate_hires_prompt_is_formatted_separately(host, fake_engine):
    p, res = host.txt2img("1girl", {"enabled": True}, enable_hr=True, hr_prompt="1girl, detailed")
    assert p.all_hr_prompts == [f"1girl, detailed, {SUFFIX}"]
    assert params_of(res.infotexts[0])["Hires prompt"] == f"1girl, detailed, {SUFFIX}"


def test_rating_and_negative_toggle_reach_the_engine(host, fake_engine):
    p, _ = host.txt2img(
        "1girl, smile", {"enabled": True, "rating": "safe", "inject_negative": False}, negative_prompt="bad"
    )
    assert p.all_prompts[0] == f"1girl, safe, smile, {SUFFIX}"
    assert p.all_negative_prompts == ["bad"]


def test_non_sdxl_model_gets_a_warning(host, fake_engine):
    shared.sd_model = shared.FakeModel("sd15", is_sdxl=False)
    _, res = host.txt2img("1girl", {"enabled": True})
    assert "not SDXL" in params_of(res.infotexts[0])[infotext.KEY_WARNING]
    shared.opts.animagine_warn_non_sdxl = False
    _, res = host.txt2img("1girl", {"enabled": True})
    assert infotext.KEY_WARNING not in params_of(res.infotexts[0])


def test_img2img_formats_and_resizes_to_the_snapped_size(host, fake_engine):
    p, res = host.img2img("1girl", {"enabled": True}, width=900, height=1300, init_images=[object()])
    assert p.all_prompts[0].endswith(SUFFIX)
    assert p.resized_to == snap_resolution(900, 1300, PRESET.resolutions)


def test_real_engine_output_is_what_the_image_gets(host):
    """Whatever the engine returns (placeholder or real) is exactly what reaches conditioning."""
    p, res = host.txt2img("1girl, hatsune_miku, smile", {"enabled": True, "rating": "safe"}, negative_prompt="bad")
    expected = format_prompt(
        "1girl, hatsune_miku, smile",
        db=adapter_engine.KNOWLEDGE_BASE.get(),
        preset=PRESET,
        options=FormatOptions(rating="safe"),
        negative="bad",
        width=p.width,
        height=p.height,
        cfg_scale=5.0,
        steps=28,
    )
    assert p.sampled[0]["prompts"] == [expected.prompt]
    assert p.sampled[0]["negatives"] == [expected.negative_prompt]
    assert res.infotexts[0].splitlines()[0] == expected.prompt


def test_real_engine_appends_the_quality_suffix_once_and_is_stable_on_its_own_output(host):
    import animagine_prompt.formatter as formatter

    if "PLACEHOLDER" in (formatter.__doc__ or ""):
        import pytest

        pytest.skip("the engine is still the placeholder")
    p, res = host.txt2img("1girl, smile", {"enabled": True}, batch_size=2, enable_hr=True)
    formatted = p.all_prompts[0]
    tags = [t.strip() for t in formatted.split(",")]
    assert all(tags.count(tag) == 1 for tag in PRESET.quality_suffix)
    assert set(tags[-len(PRESET.quality_suffix) :]) == set(PRESET.quality_suffix)  # quality tags last
    assert p.all_hr_prompts == p.all_prompts
    p2, _ = host.txt2img(formatted, {"enabled": True})  # pasting the infotext and generating again
    assert p2.all_prompts[0] == formatted


WILDCARDS = '''
from modules import scripts

COLORS = ["red hair", "blue hair", "green hair", "pink hair"]


class Wildcards(scripts.Script):
    """Like dynamic prompts in a folder that sorts after ours: rebuilds all_* from p.prompt in process()."""

    def title(self):
        return "Wildcards"

    def show(self, is_img2img):
        return scripts.AlwaysVisible

    def ui(self, is_img2img):
        return []

    def process(self, p, *args):
        p.all_prompts = [p.prompt.replace("__color__", c) for c in COLORS[: len(p.all_prompts)]]
        if getattr(p, "enable_hr", False):
            p.all_hr_prompts = list(p.all_prompts)
'''


def test_prompts_replaced_after_our_process_are_formatted_before_each_batch(host, fake_engine, tmp_path):
    from modules import scripts as host_scripts

    folder = tmp_path / "zz-wildcards"
    (folder / "scripts").mkdir(parents=True)
    (folder / "scripts" / "wild.py").write_text(WILDCARDS, encoding="utf-8")
    host.load([host_scripts.ScriptFile(str(folder), "wild.py", str(folder / "scripts" / "wild.py"))])
    host.build_ui()
    p, res = host.txt2img("1girl, __color__", {"enabled": True}, batch_size=2, n_iter=2, enable_hr=True)
    colors = ["red hair", "blue hair", "green hair", "pink hair"]
    expected = [f"1girl, {c}, {SUFFIX}" for c in colors]
    assert p.all_prompts == expected and p.all_hr_prompts == expected
    assert [x for batch in p.sampled for x in batch["prompts"]] == expected
    assert [x for batch in p.sampled for x in batch["hr_prompts"]] == expected
    texts = res.infotexts[1:]
    assert [t.splitlines()[0] for t in texts] == expected
    assert [params_of(t)[infotext.KEY_ORIGINAL] for t in texts] == [f"1girl, {c}" for c in colors]


def test_host_comment_stripping_after_us_keeps_the_original_and_the_format(host, fake_engine):
    prompt = "smile, 1girl\n# try blue eyes next"
    p, res = host.txt2img(prompt, {"enabled": True}, batch_size=2, n_iter=2)
    assert all(text.split() == f"smile, 1girl, {SUFFIX}".split() for text in p.all_prompts)  # no comment left
    assert [t for b in p.sampled for t in b["prompts"]] == p.all_prompts
    for text in res.infotexts:
        assert params_of(text)[infotext.KEY_ORIGINAL] == prompt


def test_each_generation_logs_its_own_warning(host, fake_engine, capsys):
    shared.sd_model = shared.FakeModel("sd15", is_sdxl=False)
    for _ in range(3):
        host.txt2img("1girl", {"enabled": True})
    assert capsys.readouterr().out.count("not SDXL") == 3
