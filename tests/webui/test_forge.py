"""Forge main (lllyasviel/stable-diffusion-webui-forge, dfdcbab) where it differs from A1111 1.10.1.

Forge is A1111's extension API on gradio 4.40 and pydantic 2 (the whole tests/webui suite also runs
under that line in `./dev.sh test`); these are the places where its host code differs, each with
the Forge file and line that decides it.
"""

from __future__ import annotations

import sys
import types

from modules import processing, scripts, sd_models
from support.gradio_events import listeners

from animagine_webui import engine as adapter_engine


def _accordion_ids() -> set[int]:
    runners = (scripts.scripts_txt2img, scripts.scripts_img2img)
    return {runner.script("Animagine XL").controls[0]._id for runner in runners}


def test_auto_enable_follows_forges_own_checkpoint_picker(host, tmp_path):
    # Forge has no "setting_sd_model_checkpoint" dropdown: users pick from main_entry's ui_checkpoint,
    # whose values are checkpoint names without a hash (sd_models.py:161-162).
    sd_models.add_checkpoint("animagineXL40_v4Opt.safetensors", str(tmp_path / "a.safetensors"))
    host.build_ui(forge=True)
    picker = host.checkpoint_dropdown._id
    changes = [e for e in listeners(host.blocks) if e.fires_on(picker, "change")]
    assert changes, "the accordion never follows the checkpoint on Forge"
    assert _accordion_ids() <= set(changes[0].outputs)
    updates = changes[0].fn("animagineXL40_v4Opt.safetensors")
    assert [u["value"] for u in updates[:2]] == [True, True]
    assert [u.get("value") for u in changes[0].fn("sd_xl_base_1.0.safetensors")[:2]] == [False, False]


def test_the_token_count_on_forge_comes_from_its_own_counter(host):
    # Forge models have no cond_stage_model (backend/diffusion_engine/base.py:59-67); they count
    # with get_prompt_lengths_on_ui (sdxl.py:123-126). Before a model loads, sd_model is a
    # FakeInitialModel that counts words (sd_models.py:385-392): no count beats a wrong one.
    from animagine_webui.tab import count_tokens

    seen: list[str] = []

    class ForgeSDXL:
        cond_stage_model = None

        def get_prompt_lengths_on_ui(self, prompt: str) -> tuple[int, int]:
            seen.append(prompt)
            return 9, 75

    class FakeInitialModel:
        cond_stage_model = None

        def get_prompt_lengths_on_ui(self, prompt: str) -> tuple[int, int]:
            return 2, 75

    sd_models.model_data.sd_model = FakeInitialModel()
    assert count_tokens("1girl, smile") is None
    sd_models.model_data.sd_model = ForgeSDXL()
    assert count_tokens("1girl, smile, <lora:x:1>") == 9
    assert seen == ["1girl, smile, "]


def test_embedding_names_on_forge_come_from_its_textual_inversion_page(monkeypatch):
    # Forge's sd_hijack is a stub (sd_hijack.py:1-28); the loaded embeddings live on
    # modules/ui_extra_networks_textual_inversion.py's embedding_db (9-11). An embedding's
    # underscores are part of its name: respelled, the host no longer finds it.
    page = types.ModuleType("modules.ui_extra_networks_textual_inversion")
    page.embedding_db = types.SimpleNamespace(word_embeddings={"bad_prompt_v2": object()}, skipped_embeddings={})
    monkeypatch.setitem(sys.modules, "modules.ui_extra_networks_textual_inversion", page)
    stub = types.ModuleType("modules.sd_hijack")  # Forge's: a model_hijack with no embedding_db
    stub.model_hijack = types.SimpleNamespace(hijack=lambda m: None)
    monkeypatch.setitem(sys.modules, "modules.sd_hijack", stub)
    assert adapter_engine.embedding_names() == frozenset({"bad_prompt_v2"})


def test_the_upscale_button_keeps_the_size_of_the_image_it_upscales(host, fake_engine):
    # The gallery's Upscale button (txt2img.py:80-92 in Forge, 58-71 in A1111) runs hires fix over an
    # image that exists; Forge sets p.width/p.height from it. A snapped size would no longer match.
    p, _ = host.txt2img("1girl", {"enabled": True}, width=1000, height=600, enable_hr=True)
    assert (p.width, p.height) != (1000, 600)  # an ordinary run snaps to a bucket
    p = host.make_p(
        processing.StableDiffusionProcessingTxt2Img, scripts.scripts_txt2img, {"enabled": True},
        prompt="1girl", width=1000, height=600, enable_hr=True,
    )
    p.txt2img_upscale = True
    processing.process_images(p)
    assert (p.width, p.height) == (1000, 600)
    assert p.cfg_scale == 5.0  # the other locks still apply
