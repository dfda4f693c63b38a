"""The AlwaysVisible "Animagine XL" script: accordion UI, locks, prompt rewrite, infotext.

Hook order in one generation (A1111 ``modules/processing.py`` v1.10.1; reForge the same):
``before_process`` (locks, infotext keys) -> host fixes sampler names, builds
``all_prompts`` with styles -> ``process`` (rewrite every prompt list) ->
``p.init`` (hires target from the snapped size) -> per batch
``before_process_batch`` (safety net for prompts replaced after us).

Every hook is wrapped: an exception prints one console line, notes
``Animagine error`` in the infotext and leaves the prompts as written; the
image is always made.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import gradio as gr
from modules import scripts, shared  # type: ignore[import-not-found]

from animagine_prompt.presets import Preset, PresetError

from . import auto_enable, element_ids, infotext, locks, rewrite
from .args import ARG_NAMES, RATING_CHOICES, ScriptArgs, parse_args, with_overrides
from .engine import KNOWLEDGE_BASE, PRESETS, VERSION, embedding_names, format_for_host, log, one_line
from .model_detect import model_is_sdxl
from .settings import AdapterSettings, read_settings
from .summary import lock_labels, summary_html

TITLE = "Animagine XL"

try:  # A1111 >= 1.8 and reForge; older hosts take plain (component, target) pairs
    from modules.infotext_utils import PasteField  # type: ignore[import-not-found]
except Exception:  # pragma: no cover - depends on the host version

    def PasteField(component: Any, target: Any, *, api: Any = None) -> Any:  # noqa: N802
        return (component, target)


try:
    from modules.ui_components import InputAccordion  # type: ignore[import-not-found]
except Exception:  # pragma: no cover - hosts older than 1.7
    InputAccordion = None


def _settings() -> AdapterSettings:
    return read_settings(getattr(shared, "opts", None))


def _resolve_name(name: str) -> str | None:
    try:
        return PRESETS.resolve(name).name
    except PresetError:
        return None


class AnimagineScript(scripts.Script):
    """See the module docstring; ``ui()`` returns the inputs in ``args.ARG_NAMES`` order."""

    def title(self) -> str:
        return TITLE

    def show(self, is_img2img: bool) -> Any:
        return scripts.AlwaysVisible

    # -- UI ------------------------------------------------------------------------------

    def ui(self, is_img2img: bool) -> list[Any]:
        tab = "img2img" if is_img2img else "txt2img"
        settings = _settings()
        defaults = settings.script_defaults()
        names = PRESETS.names()
        preset_name = _resolve_name(defaults.preset) or names[0]
        preset = PRESETS.resolve(preset_name)
        labels = lock_labels(preset)

        def eid(name: str) -> str:
            return element_ids.control(tab, name)

        accordion_kwargs = {"label": TITLE, "elem_id": element_ids.accordion(tab)}
        if InputAccordion is not None:
            enable = InputAccordion(False, **accordion_kwargs)
        else:  # pragma: no cover
            enable = gr.Checkbox(False, **accordion_kwargs)
        with enable if InputAccordion is not None else gr.Group():
            with gr.Row():
                preset_dd = gr.Dropdown(
                    label="Preset", choices=names, value=preset_name, type="value", elem_id=eid("preset")
                )
                rating = gr.Dropdown(
                    label="Rating (added when the prompt has none)",
                    choices=list(RATING_CHOICES),
                    value=RATING_CHOICES[0],
                    type="value",
                    elem_id=eid("rating"),
                )
            with gr.Row():
                lock_sampler = gr.Checkbox(
                    label=labels["sampler"], value=defaults.lock_sampler, elem_id=eid("lock_sampler")
                )
                lock_cfg = gr.Checkbox(label=labels["cfg"], value=defaults.lock_cfg, elem_id=eid("lock_cfg"))
                lock_steps = gr.Checkbox(label=labels["steps"], value=defaults.lock_steps, elem_id=eid("lock_steps"))
                lock_size = gr.Checkbox(label=labels["size"], value=defaults.lock_size, elem_id=eid("lock_size"))
                negative = gr.Checkbox(
                    label="Add the model's negative prompt", value=defaults.inject_negative, elem_id=eid("negative")
                )
            summary = gr.HTML(value=summary_html(defaults, preset), elem_id=element_ids.summary(tab))

        inputs = [enable, preset_dd, lock_sampler, lock_cfg, lock_steps, lock_size, negative, rating]
        assert len(inputs) == len(ARG_NAMES)

        def refresh(*values: Any) -> Any:
            args = parse_args(values)
            try:
                chosen: Preset | None = PRESETS.resolve(args.preset)
            except PresetError:
                chosen = None
            return summary_html(args, chosen)

        def relabel(name: str) -> list[Any]:
            try:
                new = lock_labels(PRESETS.resolve(name))
            except PresetError:
                return [gr.update()] * 3
            return [gr.update(label=new["sampler"]), gr.update(label=new["cfg"]), gr.update(label=new["steps"])]

        for component in inputs:
            component.change(fn=refresh, inputs=inputs, outputs=[summary], show_progress="hidden")
        preset_dd.change(
            fn=relabel, inputs=[preset_dd], outputs=[lock_sampler, lock_cfg, lock_steps], show_progress="hidden"
        )

        readers = infotext.paste_readers(_resolve_name)
        self.infotext_fields = [
            PasteField(component, reader) for component, reader in zip(inputs, readers, strict=False)
        ]
        auto_enable.remember(tab, enable, preset_dd)
        return inputs

    # -- generation ----------------------------------------------------------------------

    def _args(self, p: Any, values: tuple[Any, ...], settings: AdapterSettings) -> ScriptArgs:
        return with_overrides(parse_args(values, settings.script_defaults()), p)

    def _log_once(self, p: Any, message: str) -> None:
        """One console line per generation, not per X/Y/Z cell (the cells share ``p.script_args``)."""
        last = getattr(self, "_last_logged", None)  # holds the args object itself, so its id is never reused
        if last is None or last[0] is not p.script_args or last[1] != message:
            self._last_logged = (p.script_args, message)
            log(message)

    def _fail(self, p: Any, where: str, exc: BaseException | str) -> None:
        message = one_line(exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}")
        log(f"{where} failed, prompt left as written: {message}")
        try:
            p.extra_generation_params[infotext.KEY_ERROR] = message
        except Exception:
            pass

    def _reject(self, p: Any, args: ScriptArgs) -> None:
        """Arguments we cannot read: say which, once, and touch neither prompt nor settings."""
        message = one_line("; ".join(args.problems))
        self._log_once(p, f"script arguments not understood, generation left as it is: {message}")
        p.extra_generation_params[infotext.KEY_ERROR] = f"arguments not understood: {message}"

    def before_process(self, p: Any, *values: Any) -> None:
        try:
            params = p.extra_generation_params
            infotext.clear(params)
            setattr(p, rewrite.RUN_ATTR, None)
            settings = _settings()
            args = self._args(p, values, settings)
            if args.problems:
                self._reject(p, args)
                return
            if not args.enabled:
                return
            preset = PRESETS.resolve(args.preset)
            params[infotext.KEY] = preset.name
            params[infotext.KEY_LOCKS] = infotext.join_names(args.locks)
            params[infotext.KEY_NEGATIVE] = "on" if args.inject_negative else "off"
            if args.rating:
                params[infotext.KEY_RATING] = args.rating
            params[infotext.KEY_VERSION] = VERSION
            report = locks.apply_locks(p, args, preset, locks.xyz_axis_fields(p))
            if report.yielded:
                params[infotext.KEY_YIELDED] = infotext.join_names(report.yielded)
                self._log_once(p, f"X/Y/Z plot varies {', '.join(report.yielded)}: the preset lock yields to the axis")
            for note in report.notes:
                infotext.add_note(params, infotext.KEY_WARNING, note)
                log(note)
        except Exception as exc:
            self._fail(p, "locks", exc)

    def process(self, p: Any, *values: Any) -> None:
        try:
            settings = _settings()
            args = self._args(p, values, settings)
            if args.problems:
                return  # before_process said which arguments, and changed nothing
            if not args.enabled:
                infotext.clear(p.extra_generation_params)  # e.g. an X/Y/Z cell that switched us off
                return
            if infotext.KEY_ERROR in p.extra_generation_params:
                return  # before_process already failed and said why; one line per problem
            preset = PRESETS.resolve(args.preset)
            if settings.warn_non_sdxl and model_is_sdxl(getattr(p, "sd_model", None)) is False:
                note = "the loaded model is not SDXL; Animagine tags are meant for Animagine XL"
                infotext.add_note(p.extra_generation_params, infotext.KEY_WARNING, note)
                self._log_once(p, note)
            options = settings.format_options(rating=args.rating, inject_negative=args.inject_negative)
            db = KNOWLEDGE_BASE.get()
            fmt = partial(
                _format_pair,
                preset=preset,
                options=options,
                db=db,
                width=int(p.width),
                height=int(p.height),
                cfg_scale=float(p.cfg_scale),
                steps=int(p.steps),
            )
            state = rewrite.RunState(format=fmt)
            setattr(p, rewrite.RUN_ATTR, state)
            if rewrite.rewrite_all(p, state):
                rewrite.publish_originals(p, state)
            else:
                self._fail(p, "formatting", state.error or "unknown error")
        except Exception as exc:
            self._fail(p, "formatting", exc)

    def before_process_batch(self, p: Any, *values: Any, **kwargs: Any) -> None:
        try:
            state = getattr(p, rewrite.RUN_ATTR, None)
            if state is None or state.error:
                return
            prompts = kwargs.get("prompts")
            if prompts is None:
                return
            if rewrite.rewrite_batch(p, state, int(kwargs.get("batch_number", 0)), prompts):
                rewrite.publish_originals(p, state)
            if state.error:
                self._fail(p, "formatting", state.error)
        except Exception as exc:
            self._fail(p, "formatting", exc)


def _format_pair(prompt: str, negative: str, **kwargs: Any) -> Any:
    kwargs.setdefault("lint", False)
    kwargs.setdefault("keep_spelling", embedding_names())
    return format_for_host(prompt, negative=negative, **kwargs)
