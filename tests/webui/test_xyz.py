"""X/Y/Z plot: our axes work per cell, nothing leaks between cells, host axes beat our locks."""

from __future__ import annotations

from modules import script_callbacks, scripts, shared
from modules.infotext_utils import parse_generation_parameters
from modules.processing import StableDiffusionProcessingTxt2Img

from animagine_webui import infotext
from animagine_webui.xyz import LABEL_PREFIX

OUR_AXES = ["Enabled", "Preset", "Rating", "Negative prompt", "Locks"]


def xyz_module():
    return next(d.module for d in scripts.scripts_data if d.script_class.__module__ == "xyz_grid.py")


def run_plot(host, x_label, x_values, animagine=None, y_label="Nothing", y_values="", **fields):
    runner = scripts.scripts_txt2img
    xyz_script = next(s for s in runner.selectable_scripts if s.title() == "X/Y/Z plot")
    labels = [o.label for o in xyz_script.current_axis_options]
    p = host.make_p(StableDiffusionProcessingTxt2Img, runner, animagine, prompt="1girl, smile", **fields)
    values = list(p.script_args)
    values[0] = runner.selectable_scripts.index(xyz_script) + 1
    own = [labels.index(x_label), x_values, None, labels.index(y_label), y_values, None, 0, "", None]
    values[xyz_script.args_from : xyz_script.args_to] = own
    p.script_args = tuple(values)  # setup already ran; the UI submits all values at once
    res = runner.run(p, *p.script_args)
    return p, xyz_script.cells, res


def test_axes_are_registered_once(host):
    labels = [o.label for o in xyz_module().axis_options]
    for name in OUR_AXES:
        assert labels.count(LABEL_PREFIX + name) == 1
    from modules import script_callbacks

    script_callbacks.before_ui_callback()  # a second before_ui (Reload UI without re-import)
    assert [o.label for o in xyz_module().axis_options].count(LABEL_PREFIX + "Enabled") == 1


def test_enabled_axis_cells_do_not_leak_into_each_other(host, fake_engine):
    p, cells, res = run_plot(host, LABEL_PREFIX + "Enabled", "True, False", width=1000, height=600)
    on, off = cells
    assert on.all_prompts[0] != "1girl, smile" and (on.width, on.height) == (1344, 768)
    assert off.all_prompts == ["1girl, smile"] and (off.width, off.height) == (1000, 600)
    on_params = parse_generation_parameters(res.infotexts[0], [])
    off_params = parse_generation_parameters(res.infotexts[1], [])
    assert on_params[infotext.KEY] == "animagine-xl-4.0"
    assert not any(k.startswith("Animagine") for k in off_params)
    assert p.prompt == "1girl, smile" and (p.width, p.height) == (1000, 600)  # the plot's own p is untouched
    assert parse_generation_parameters(res.grid_infotext, [])[infotext.KEY] == "animagine-xl-4.0"


def test_preset_axis_changes_the_locked_values_per_cell(host, fake_engine):
    _, cells, res = run_plot(host, LABEL_PREFIX + "Preset", "4.0, animagine-xl-3.1", {"enabled": True})
    assert [c.cfg_scale for c in cells] == [5.0, 7.0]
    assert cells[1].all_prompts[0].endswith("very aesthetic, absurdres")


def test_host_cfg_axis_wins_over_the_cfg_lock_and_says_so(host, fake_engine, capsys):
    _, cells, res = run_plot(host, "CFG Scale", "3, 9", {"enabled": True})
    assert [c.sampled[0]["cfg"] for c in cells] == [3.0, 9.0]
    assert all(c.sampled[0]["steps"] == 28 for c in cells)  # other locks still apply
    for text in res.infotexts:
        assert parse_generation_parameters(text, [])[infotext.KEY_YIELDED] == "cfg"
    assert capsys.readouterr().out.count("yields to the axis") == 1  # once per plot, not per cell
    p, _ = host.txt2img("1girl", {"enabled": True}, cfg_scale=9.0)  # a normal run afterwards: locked again
    assert p.cfg_scale == 5.0 and shared.state.xyz_plot_x.axis.label == "CFG Scale"


def test_size_and_sampler_axes_win_too(host, fake_engine):
    _, cells, _ = run_plot(host, "Size", "1000x600", {"enabled": True}, y_label="Sampler", y_values="DPM++ 2M, Euler")
    assert [(c.width, c.height) for c in cells] == [(1000, 600), (1000, 600)]
    assert [c.sampled[0]["sampler"] for c in cells] == ["DPM++ 2M", "Euler"]


def test_rating_and_locks_axes(host, fake_engine):
    _, cells, _ = run_plot(host, LABEL_PREFIX + "Rating", "safe, none", {"enabled": True})
    assert "safe" in cells[0].all_prompts[0].split(", ") and "safe" not in cells[1].all_prompts[0].split(", ")
    _, cells, _ = run_plot(host, LABEL_PREFIX + "Locks", "False, True", {"enabled": True}, cfg_scale=9.0)
    assert [c.cfg_scale for c in cells] == [9.0, 5.0]


def test_axes_and_settings_exist_before_any_ui_callback_as_under_nowebui(host):
    """Under --nowebui the host builds the UI and the API's options model before on_before_ui
    (seen in real A1111 1.10.1 and reForge): what is only added there is missing from the API."""
    host.load(api_only=True)
    xyz = next(d.module for d in scripts.scripts_data if d.script_class.__module__ == "xyz_grid.py")
    labels = [o.label for o in xyz.axis_options]
    assert sum(label.startswith("[Animagine]") for label in labels) == 5
    assert "animagine_default_preset" in shared.opts.data_labels
    script_callbacks.before_ui_callback()  # later callbacks add nothing twice
    script_callbacks.ui_settings_callback()
    assert [o.label for o in xyz.axis_options] == labels
