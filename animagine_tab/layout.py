"""The tab's gradio structure and event wiring; behaviour lives in :mod:`.callbacks`.

Written to the API gradio 3.41 and 4.40 share (``gr.update``, no ``.style()``,
no ``gr.Box``, no ``.key_up``), because the WebUIs ship both. Element ids all
start with ``animagine_`` so style.css and the browser tests can find them
without touching the host's elements.
"""

from __future__ import annotations

import json
from typing import Any

import gradio as gr

from animagine_prompt.categories import Category
from animagine_prompt.options import RATINGS

from . import callbacks as cb
from .context import TabContext

#: gradio 4 sends no ``.input`` event while one is pending (its default ``trigger_mode`` is
#: "once"), so fast typing lost the last keystroke's suggestions; "always_last" sends it once
#: the pending one is done. gradio 3 sends every event and has no such argument.
_GRADIO_MAJOR = int(gr.__version__.split(".")[0])
_LAST_KEYSTROKE: dict[str, Any] = {"trigger_mode": "always_last"} if _GRADIO_MAJOR >= 4 else {}

#: Rows whose controls stand side by side on a wide screen and stack in one column on a phone (style.css).
_STACK = ["animagine-row"]

#: Names a screen reader can say, where gradio leaves none, and a keyboard-reachable accordion header. Both
#: gradios let a read-only textbox's copy button take the box's <label> (the box itself is left unnamed);
#: gradio 3.41 also leaves a slider's number box unnamed and makes the accordion header a plain div.
#: Only elements without a name are touched, so what gradio 4 names itself stays. Run once on page load.
_A11Y_JS = """() => {
  for (const range of document.querySelectorAll("[id^=animagine_] input[type=range]")) {
    const label = (range.labels && range.labels[0] ? range.labels[0].textContent : "").trim();
    const number = range.closest("[id^=animagine_]").querySelector("input[type=number]:not([aria-label])");
    if (label && number) number.setAttribute("aria-label", label + " (number)");
  }
  for (const [id, label] of Object.entries(COPY)) {  // the copy button takes the box's <label> for itself
    const button = document.querySelector("#" + id + " button:not([aria-label])");
    if (button) button.setAttribute("aria-label", "Copy " + label.charAt(0).toLowerCase() + label.slice(1));
    const box = document.querySelector("#" + id + " textarea:not([aria-label])");
    if (box) box.setAttribute("aria-label", label);
  }
  for (const head of document.querySelectorAll("[id^=animagine_] div.label-wrap")) {
    const said = () => head.setAttribute("aria-expanded", head.classList.contains("open") ? "true" : "false");
    head.setAttribute("tabindex", "0");
    head.setAttribute("role", "button");
    said();
    head.addEventListener("click", () => setTimeout(said, 0));
    head.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); head.click(); }
    });
  }
  return [];
}"""

_EXAMPLE = "hatsune_miku, 1girl, long hair, smile, vocaloid, twintails"


def _theme() -> gr.themes.Base:
    """gradio's default look with local fonts: the default theme fetches Google Fonts, which an offline
    machine (or a privacy-minded user) should not need. The WebUI ignores a tab's theme anyway."""
    system = ["ui-sans-serif", "system-ui", "sans-serif"]
    return gr.themes.Default(font=system, font_mono=["ui-monospace", "Consolas", "monospace"])


def _fix_updates(fixes: tuple[cb.Fix, ...]) -> list[Any]:
    return [
        gr.update(value=f"Fix: {fixes[i].label}", visible=True) if i < len(fixes) else gr.update(visible=False)
        for i in range(cb.MAX_FIXES)
    ]


def _send_row(ctx: TabContext, where: str, infotext: Any) -> None:
    """The host's "Send to" buttons for one output; not rendered at all in the standalone app."""
    if not ctx.send_targets or ctx.bind_send is None:
        return
    with gr.Row(elem_classes=["animagine-send"]):
        for target in ctx.send_targets:
            button = gr.Button(f"Send to {target}", elem_id=f"animagine_{where}_send_{target}", size="sm")
            ctx.bind_send(target, button, infotext)


def _built(session: cb.TabSession, parts: Any, panel: Any) -> list[str]:
    """The builder's outputs: the engine's prompt and negative for the assembled parts, and their infotext."""
    view = cb.run_format(session, cb.assemble(*parts), "", *panel)
    return [view.result.prompt, view.result.negative_prompt, view.infotext]


def build_tab(ctx: TabContext) -> gr.Blocks:
    """Build the Animagine tab over ``ctx``; call inside or outside a host's Blocks."""
    session = cb.TabSession(ctx)
    first = ctx.preset(None)
    db_now = session.ready  # False inside a host that loads the database after its start

    with gr.Blocks(analytics_enabled=False, title=ctx.title, css=ctx.css or None, theme=_theme()) as blocks:
        with gr.Row(elem_id="animagine_settings_row", equal_height=False, elem_classes=_STACK):
            with gr.Column(scale=1, min_width=240):
                preset = gr.Dropdown(
                    choices=list(ctx.presets), value=first.name, label="Model preset", elem_id="animagine_preset"
                )
                cfg = gr.Slider(1, 15, value=first.cfg_scale, step=0.5, label="CFG scale", elem_id="animagine_cfg")
                steps = gr.Slider(1, 80, value=first.steps, step=1, label="Steps", elem_id="animagine_steps")
            with gr.Column(scale=2):
                size = gr.Radio(
                    choices=cb.resolution_choices(first),
                    value=cb.default_resolution(first),
                    label="Resolution (SDXL buckets)",
                    elem_id="animagine_resolution",
                )
                recommendation = gr.Markdown(cb.recommendation_md(first), elem_id="animagine_recommendation")
        with gr.Accordion("Formatting options", open=False, elem_id="animagine_options"):
            flags = gr.CheckboxGroup(
                choices=list(cb.OPTION_FLAGS), value=cb.default_flags(), label="Rewrite", elem_id="animagine_flags"
            )
            with gr.Row(elem_classes=_STACK):
                placement = gr.Radio(
                    choices=list(cb.PLACEMENTS),
                    value=next(iter(cb.PLACEMENTS)),
                    label="Artist, year and meta tags go",
                    elem_id="animagine_placement",
                )
                default_rating = gr.Dropdown(
                    choices=[cb.NO_RATING, *RATINGS],
                    value=cb.NO_RATING,
                    label="Rating when the prompt has none",
                    elem_id="animagine_default_rating",
                )
                dialect = gr.Radio(
                    choices=list(cb.DIALECT_CHOICES),
                    value=cb.dialect_label(ctx.dialect),
                    label="Comments, as the WebUI reads them",
                    elem_id="animagine_dialect",
                )
        settings = [preset, size, cfg, steps, flags, placement, default_rating, dialect]

        with gr.Tabs(elem_id="animagine_tabs") as tabs:
            with gr.Tab("Formatter", id="formatter", elem_id="animagine_formatter_tab"):
                with gr.Row(equal_height=False, elem_classes=_STACK):
                    with gr.Column():
                        source = gr.Textbox(
                            label="Your prompt", lines=4, placeholder=_EXAMPLE, elem_id="animagine_input"
                        )
                        source_neg = gr.Textbox(
                            label="Your negative prompt (optional)", lines=2, elem_id="animagine_input_negative"
                        )
                        format_button = gr.Button("Format", variant="primary", elem_id="animagine_format")
                    with gr.Column():
                        out = gr.Textbox(
                            label="Formatted prompt",
                            lines=4,
                            interactive=False,
                            show_copy_button=True,
                            elem_id="animagine_output",
                        )
                        out_neg = gr.Textbox(
                            label="Negative prompt",
                            lines=2,
                            interactive=False,
                            show_copy_button=True,
                            elem_id="animagine_output_negative",
                        )
                        out_settings = gr.HTML(elem_id="animagine_output_settings")
                        infotext = gr.Textbox(visible=False, elem_id="animagine_infotext")
                        _send_row(ctx, "formatter", infotext)
                diff = gr.HTML(elem_id="animagine_diff")
                tokens = gr.HTML(elem_id="animagine_tokens")
                warnings = gr.HTML(elem_id="animagine_warnings")
                fixes = gr.State(())
                with gr.Row(elem_id="animagine_fixes"):
                    fix_buttons = [
                        gr.Button(
                            visible=False, size="sm", elem_id=f"animagine_fix_{i}", elem_classes=["animagine-fix"]
                        )
                        for i in range(cb.MAX_FIXES)
                    ]

            with gr.Tab("Builder", id="builder", elem_id="animagine_builder_tab") as builder_tab:
                with gr.Row(elem_classes=_STACK):
                    people = gr.Dropdown(
                        choices=list(cb.PEOPLE), value="1girl", label="People", elem_id="animagine_b_people"
                    )
                    character = gr.Textbox(
                        label="Character", placeholder="start typing: hatsu…", elem_id="animagine_b_character"
                    )
                    series = gr.Textbox(label="Series", elem_id="animagine_b_series")
                    # The series we filled in last: a series box holding anything else was typed by
                    # the user, and a new character keeps it.
                    series_filled = gr.State("")
                character_picks = gr.Radio(
                    choices=[],
                    visible=False,
                    interactive=True,
                    label="Characters",
                    elem_id="animagine_b_character_picks",
                )
                with gr.Row(elem_classes=_STACK):
                    rating = gr.Dropdown(
                        choices=["", *RATINGS], value="safe", label="Rating", elem_id="animagine_b_rating"
                    )
                    year = gr.Dropdown(choices=list(cb.YEARS), value="", label="Year", elem_id="animagine_b_year")
                    artist = gr.Textbox(label="Artist", elem_id="animagine_b_artist")
                artist_picks = gr.Radio(
                    choices=[], visible=False, interactive=True, label="Artists", elem_id="animagine_b_artist_picks"
                )
                free = gr.Textbox(
                    label="Other tags", lines=2, placeholder="smile, outdoors, night", elem_id="animagine_b_free"
                )
                initial = (
                    _built(
                        session, ("1girl", "", "", "safe", "", "", ""), (first.name, None, None, None, None, None, None)
                    )
                    if db_now
                    else ["", "", ""]  # assembled when the Builder tab is opened
                )
                built = gr.Textbox(
                    value=initial[0],
                    label="Assembled prompt",
                    lines=3,
                    interactive=False,
                    show_copy_button=True,
                    elem_id="animagine_b_output",
                )
                built_neg = gr.Textbox(
                    value=initial[1],
                    label="Negative prompt",
                    lines=2,
                    interactive=False,
                    show_copy_button=True,
                    elem_id="animagine_b_output_negative",
                )
                built_infotext = gr.Textbox(value=initial[2], visible=False, elem_id="animagine_b_infotext")
                with gr.Row():
                    to_formatter = gr.Button("Open in formatter", size="sm", elem_id="animagine_b_to_formatter")
                _send_row(ctx, "builder", built_infotext)

            with gr.Tab("Tag database", id="database", elem_id="animagine_database_tab") as database_tab:
                sources = gr.Markdown(
                    cb.sources_md(session) if db_now else cb.LOADING_NOTE, elem_id="animagine_sources"
                )
                refresh = gr.Button("Reload tag database", size="sm", elem_id="animagine_reload")
                with gr.Row(elem_classes=_STACK):
                    probe = gr.Textbox(label="Look up a tag", elem_id="animagine_lookup")
                    probe_out = gr.Markdown(elem_id="animagine_lookup_result")
                editable = ctx.overrides_file is not None
                first_text, first_revision = cb.open_overrides(session)
                # What this browser tab's editor was read at, and the text it was given then:
                # a Save against an older revision is refused (see callbacks.save_overrides).
                revision = gr.State(first_revision)
                loaded = gr.State(first_text)
                overrides = gr.Textbox(
                    value=first_text,
                    label="Your overrides: one 'tag, category' per line (they win over every other source)",
                    lines=8,
                    visible=editable,
                    elem_id="animagine_overrides",
                )
                save = gr.Button(
                    "Save overrides", variant="primary", visible=editable, elem_id="animagine_save_overrides"
                )
                save_status = gr.Markdown(elem_id="animagine_save_status")
                conflict = gr.Textbox(
                    label="The file as it is now (saved elsewhere since you opened the editor)",
                    lines=8,
                    interactive=False,
                    visible=False,
                    show_copy_button=True,
                    elem_id="animagine_overrides_conflict",
                )

        # -- formatter ---------------------------------------------------------------------------
        live_format = gr.State(cb.LatestOnly())  # one per browser session: a stale pass writes nothing
        live_build = gr.State(cb.LatestOnly())

        def on_format(prompt: str, negative: str, *rest: Any) -> list[Any]:
            *panel, live = rest
            view = cb.run_latest(live, lambda: cb.run_format(session, prompt, negative, *panel))
            if view is None:
                return [gr.update() for _ in format_out]
            r = view.result
            return [
                r.prompt,
                r.negative_prompt,
                view.settings_html,
                view.diff_html,
                view.warnings_html,
                view.tokens_html,
                view.infotext,
                view.fixes,
                *_fix_updates(view.fixes),
            ]

        format_in = [source, source_neg, *settings, live_format]
        format_out = [out, out_neg, out_settings, diff, warnings, tokens, infotext, fixes, *fix_buttons]
        format_button.click(on_format, format_in, format_out)

        def follow_typing(boxes: list[Any], run: Any, inputs: list[Any], outputs: list[Any], key_of: Any) -> None:
            """Run ``run`` live on every change of ``boxes``, ending on the last keystroke.

            gradio 3.41's page sends no event for a listener that is still running: a key pressed
            while the last key's pass runs is never formatted, and the preview stays behind
            (gradio 4's .change sends the last one afterwards). So each pass records what it
            showed (``key_of`` its inputs), and a follow-up, which gradio starts when the pass
            ends with the boxes' values of that moment, runs again when they have moved on.
            """
            shown = gr.State("")

            def typed(*values: Any) -> list[Any]:
                *args, before = values
                result = run(*args)
                stale = isinstance(result[0], dict)  # a newer pass is on its way: it records its own key
                return [*result, before if stale else key_of(args)]

            def catch_up(*values: Any) -> list[Any]:
                *args, before = values
                if before == key_of(args):
                    return [gr.update() for _ in outputs] + [before]
                return typed(*values)

            for box in boxes:
                box.change(typed, [*inputs, shown], [*outputs, shown], queue=False).then(
                    catch_up, [*inputs, shown], [*outputs, shown], queue=False
                )

        follow_typing([source, source_neg], on_format, format_in, format_out, lambda a: cb.typed_key(a[0], a[1]))

        def make_fix(index: int) -> Any:
            def on_fix(prompt: str, current: tuple[cb.Fix, ...]) -> str:
                if index >= len(current):
                    return prompt
                return cb.apply_fix(prompt, current[index].subject, current[index].suggestion)

            return on_fix

        for i, button in enumerate(fix_buttons):
            button.click(make_fix(i), [source, fixes], [source])

        # -- builder -----------------------------------------------------------------------------
        parts = [people, character, series, rating, year, artist, free]

        def on_build(*values: Any) -> list[Any]:
            *values, live = values
            built_now = cb.run_latest(live, lambda: _built(session, values[: len(parts)], values[len(parts) :]))
            return [gr.update() for _ in build_out] if built_now is None else built_now

        build_in = [*parts, *settings, live_build]
        build_out = [built, built_neg, built_infotext]
        follow_typing(parts, on_build, build_in, build_out, lambda a: cb.typed_key(*map(str, a[: len(parts)])))
        builder_tab.select(on_build, build_in, build_out)

        def follow_picks(box: Any, out: Any, category: Category) -> Any:
            """Suggestions for what ``box`` holds, ending on the last keystroke.

            As in ``follow_typing``: gradio 3.41 sends no ``.input`` while the last one runs, so a
            key pressed then got no suggestions of its own (with a busy CPU, none for the text the
            box ends with). Each pass records the text it suggested for; the follow-up, started
            when a pass ends with the box's text of that moment, suggests again if it moved on.
            Returns that record: a pick writes the box, and its text then needs no suggestions.
            """
            live = gr.State(cb.LatestOnly())
            shown = gr.State("")

            def suggest(text: str, latest: cb.LatestOnly, before: str) -> list[Any]:
                names = cb.run_latest(latest, lambda: cb.complete(session, text, category))
                if names is None:  # a newer keystroke's suggestions are on their way
                    return [gr.update(), before]
                return [gr.update(choices=names, value=None, visible=bool(names)), text]

            def catch_up(text: str, latest: cb.LatestOnly, before: str) -> list[Any]:
                if text == before:
                    return [gr.update(), before]
                return suggest(text, latest, before)

            box.input(suggest, [box, live, shown], [out, shown], **_LAST_KEYSTROKE).then(
                catch_up, [box, live, shown], [out, shown]
            )
            return shown

        character_shown = follow_picks(character, character_picks, Category.CHARACTER)
        artist_shown = follow_picks(artist, artist_picks, Category.ARTIST)

        def pick_character(evt: gr.SelectData) -> list[Any]:
            return [str(evt.value), gr.update(choices=[], value=None, visible=False), str(evt.value)]

        def on_character(name: str, current: str, filled: str) -> list[str]:
            # Decided from the box's value as this event sent it and what we wrote last, in one
            # event: a separate "typed" flag set by another listener can arrive late (gradio 4
            # runs listeners side by side), and then the user's series was overwritten.
            current = current or ""
            typed = bool(current.strip()) and current != (filled or "")
            new = cb.series_on_character(session, name or "", current, typed)
            return [new, new]

        character.change(on_character, [character, series, series_filled], [series, series_filled])

        def pick_artist(evt: gr.SelectData) -> list[Any]:
            return [str(evt.value), gr.update(choices=[], value=None, visible=False), str(evt.value)]

        character_picks.select(pick_character, None, [character, character_picks, character_shown])
        artist_picks.select(pick_artist, None, [artist, artist_picks, artist_shown])
        to_formatter.click(
            lambda *values: [cb.assemble(*values), gr.update(selected="formatter")], parts, [source, tabs]
        )

        # -- shared settings -------------------------------------------------------------------
        def on_preset(name: str) -> list[Any]:
            p = ctx.preset(name)
            return [
                gr.update(choices=cb.resolution_choices(p), value=cb.default_resolution(p)),
                gr.update(value=p.cfg_scale),
                gr.update(value=p.steps),
                cb.recommendation_md(p),
            ]

        preset.change(on_preset, [preset], [size, cfg, steps, recommendation])
        for control in settings:
            control.change(on_format, format_in, format_out)
            control.change(on_build, build_in, build_out)

        # -- tag database ----------------------------------------------------------------------
        def on_reload() -> str:
            session.reload()
            return cb.sources_md(session)

        refresh.click(on_reload, None, [sources])
        probe.change(lambda text: cb.lookup_md(session, text), [probe], [probe_out])

        def on_save(text: str, rev: str, probe_text: str) -> list[Any]:
            done = cb.save_overrides(session, text, rev)
            loaded_text = done.text if done.conflict is None else gr.update()
            return [
                done.status,
                done.text,
                done.revision,
                loaded_text,
                gr.update(value=done.conflict or "", visible=done.conflict is not None),
                cb.sources_md(session),
                cb.lookup_md(session, probe_text),
            ]

        save.click(
            on_save,
            [overrides, revision, probe],
            [save_status, overrides, revision, loaded, conflict, sources, probe_out],
        )

        def on_open_database(text: str, loaded_text: str, rev: str) -> list[Any]:
            """Opening the tab shows the file as it is now, unless this editor holds unsaved edits
            (those stay, and a Save then reports the newer file instead of overwriting it)."""
            if text != loaded_text:
                return [gr.update(), gr.update(), gr.update(), cb.sources_md(session)]
            fresh, fresh_rev = cb.open_overrides(session)
            return [fresh, fresh_rev, fresh, cb.sources_md(session)]

        database_tab.select(on_open_database, [overrides, loaded, revision], [overrides, revision, loaded, sources])

        copyable = [out, out_neg, built, built_neg, conflict]
        a11y = _A11Y_JS.replace("COPY", json.dumps({c.elem_id: c.label for c in copyable}))
        blocks.load(None, None, None, **({"js": a11y} if _GRADIO_MAJOR >= 4 else {"_js": a11y}))

    return blocks
