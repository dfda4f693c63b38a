"""The Animagine tab inside the WebUI: the shared layout plus what only the host has.

``scripts/animagine_xl.py`` registers :func:`on_ui_tabs` with
``script_callbacks.on_ui_tabs``. Compared with the standalone app, the context
adds the host's "Send to txt2img/img2img" buttons (through its own infotext
paste mechanism, so they fill exactly what the host's buttons fill), a token
counter that uses the loaded checkpoint's tokenizer, and the adapter's shared
knowledge base, so an override saved in the tab also changes generation.
"""

from __future__ import annotations

from typing import Any

from animagine_tab import TabContext, build_tab

from . import element_ids
from .dialect import host_dialect
from .engine import KNOWLEDGE_BASE, PRESETS, log, one_line
from .settings import read_settings

SEND_TARGETS = ("txt2img", "img2img")


def _paste_module() -> Any:
    """The host's infotext module: ``infotext_utils`` since A1111 1.8, the old name before."""
    try:
        from modules import infotext_utils  # type: ignore[import-not-found]

        return infotext_utils
    except ImportError:
        from modules import generation_parameters_copypaste  # type: ignore[import-not-found]

        return generation_parameters_copypaste


def bind_send(target: str, button: Any, infotext: Any) -> None:
    """Register ``button`` like the host's own "Send to" buttons: it pastes ``infotext`` into ``target``.

    The host connects registered buttons after all tabs are built
    (``connect_paste_params_buttons``), so registering during ``on_ui_tabs`` is in time.
    """
    paste = _paste_module()
    paste.register_paste_params_button(
        paste.ParamBinding(paste_button=button, tabname=target, source_text_component=infotext)
    )


def count_tokens(text: str) -> int | None:
    """CLIP tokens of ``text`` as the host counts them (HOST_API §10); None when no model is loaded.

    Peeks at the loaded model instead of ``shared.sd_model``, which would load one. A1111 and
    reForge count with the model's ``cond_stage_model``; Forge has none and counts with
    ``get_prompt_lengths_on_ui`` (backend/diffusion_engine/sdxl.py 123-126).
    """
    try:
        from modules import extra_networks, sd_models  # type: ignore[import-not-found]

        model = getattr(getattr(sd_models, "model_data", None), "sd_model", None)
        if model is None or type(model).__name__ == "FakeInitialModel":  # Forge's stand-in counts words
            return None
        stripped, _ = extra_networks.parse_prompt(text)
        cond = getattr(model, "cond_stage_model", None)
        if cond is not None and hasattr(cond, "process_texts"):
            _, count = cond.process_texts([stripped])
            return int(count)
        lengths = getattr(model, "get_prompt_lengths_on_ui", None)  # Forge: no cond_stage_model
        if lengths is None:
            return None
        return int(lengths(stripped)[0])
    except Exception:  # a counter must never break the tab
        return None


def _fresh_knowledge() -> Any:
    """Drop the adapter's loaded table and load it again, so tab and generation see the same overrides."""
    from animagine_prompt.knowledge import load_knowledge

    KNOWLEDGE_BASE.set_loader(load_knowledge)
    return KNOWLEDGE_BASE.get()


def make_context() -> TabContext:
    """The tab shares the adapter's knowledge base, which ``on_app_started`` loads in the background:
    building the tab never waits for it (``db_ready``), so the host's start does not either."""
    from modules import shared  # type: ignore[import-not-found]

    from animagine_prompt.tagdb.config import TagDBConfig, resolve

    return TabContext(
        load_db=KNOWLEDGE_BASE.get,
        reload_db=_fresh_knowledge,
        db_ready=lambda: KNOWLEDGE_BASE.ready,
        presets=PRESETS.all(),
        default_preset=read_settings(getattr(shared, "opts", None)).default_preset,
        overrides_file=resolve(TagDBConfig()).user_file,
        send_targets=SEND_TARGETS,
        bind_send=bind_send,
        token_counter=count_tokens,
        dialect=host_dialect(getattr(shared, "opts", None)),
    )


def on_ui_tabs() -> list[tuple[Any, str, str]]:
    """``script_callbacks.on_ui_tabs`` callback: the tab, titled "Animagine"."""
    try:
        return [(build_tab(make_context()), "Animagine", element_ids.TAB)]
    except Exception as exc:  # a broken tab must not take the WebUI down with it
        log(f"Animagine tab not built: {one_line(exc)}")
        return []
