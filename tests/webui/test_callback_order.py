"""The host double runs callbacks in the host's order and isolates a failing one (see its docstring)."""

from __future__ import annotations

from modules import errors, script_callbacks, shared


def _register(order: list[str]) -> None:
    script_callbacks.on_ui_settings(lambda: order.append("first"), name="a")
    script_callbacks.on_ui_settings(lambda: 1 / 0, name="b")
    script_callbacks.on_ui_settings(lambda: order.append("third"), name="c")


def test_failing_callback_is_reported_and_the_rest_still_run(monkeypatch):
    script_callbacks.clear_callbacks()
    order: list[str] = []
    _register(order)
    before = len(errors.reported)
    script_callbacks.ui_settings_callback()
    assert order == ["first", "third"]
    assert len(errors.reported) == before + 1
    script_callbacks.clear_callbacks()


def test_setting_moves_the_chosen_entries_to_the_front_and_before_ui_runs_reversed(monkeypatch):
    script_callbacks.clear_callbacks()
    order: list[str] = []
    _register(order)
    names = [e.name for e in script_callbacks.ordered("ui_settings")]
    assert names[0].endswith("/test_callback_order.py/ui_settings/a")
    monkeypatch.setitem(shared.opts.data, "prioritized_callbacks_ui_settings", [names[2]])
    script_callbacks.ui_settings_callback()
    assert order == ["third", "first"]
    script_callbacks.clear_callbacks()
    seen: list[int] = []
    script_callbacks.on_before_ui(lambda: seen.append(1))
    script_callbacks.on_before_ui(lambda: seen.append(2))
    script_callbacks.before_ui_callback()
    assert seen == [2, 1]
    script_callbacks.clear_callbacks()


def test_metadata_order_instructions_sort_the_entries(monkeypatch):
    script_callbacks.clear_callbacks()
    order: list[str] = []
    script_callbacks.on_app_started(lambda d, a: order.append("x"), name="x")
    script_callbacks.on_app_started(lambda d, a: order.append("y"), name="y")
    x, y = (e.name for e in script_callbacks.ordered("app_started"))
    monkeypatch.setitem(script_callbacks.order_instructions, x, ([y], []))  # [callbacks/x] After = y
    script_callbacks.app_started_callback(None, None)
    assert order == ["y", "x"]
    script_callbacks.clear_callbacks()


def test_registering_reads_no_stack(host, monkeypatch):
    """reForge spends ~0.1 s per inspect.stack() at start; ours name their file instead, and the
    entries keep the names the stack gives them (``<extension>/callbacks.py/<category>``)."""
    from modules import script_callbacks

    def ours() -> dict[str, list[str]]:
        return {
            category: [e.name for e in entries if "/callbacks.py/" in e.name]
            for category, entries in script_callbacks.callback_map.items()
            if any("/callbacks.py/" in e.name for e in entries)
        }

    before = ours()
    assert len(before) == 6, before

    def no_stack(*args, **kwargs):
        raise AssertionError("inspect.stack() called while registering")

    monkeypatch.setattr(script_callbacks.inspect, "stack", no_stack)
    host.load()  # "Reload UI": clears the callbacks and runs our script file again
    assert ours() == before
    assert all(names == [names[0]] for names in before.values())  # one entry each, no "-1" suffix
