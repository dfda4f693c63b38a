"""Fast typing: a slow formatting pass for older text never overwrites the newer text's result."""

from __future__ import annotations

import threading
import time
from typing import Any

from animagine_tab import build_tab
from animagine_tab import callbacks as cb


def test_run_latest_drops_a_pass_that_a_newer_one_overtook():
    live = cb.LatestOnly()
    results: dict[str, Any] = {}
    started = threading.Event()

    def slow() -> str:
        started.set()
        time.sleep(0.3)
        return "old text"

    older = threading.Thread(target=lambda: results.setdefault("older", cb.run_latest(live, slow)))
    older.start()
    started.wait()
    results["newer"] = cb.run_latest(live, lambda: "new text")
    older.join()
    assert results == {"older": None, "newer": "new text"}
    assert cb.run_latest(live, lambda: "again") == "again"  # nothing pending: it writes


def test_each_session_gets_its_own_sequence():
    import copy

    first = cb.LatestOnly()
    second = copy.deepcopy(first)  # what gradio does per browser session
    ticket = first.begin()
    second.begin()
    assert first.is_latest(ticket)


def _listener(blocks: Any, name: str) -> Any:
    fns = blocks.fns.values() if isinstance(blocks.fns, dict) else blocks.fns  # gradio 4 / 3
    return next(f.fn for f in fns if getattr(f.fn, "__name__", "") == name)


def test_formatter_preview_is_last_write_wins(ctx, monkeypatch):
    blocks = build_tab(ctx)
    on_format = _listener(blocks, "on_format")
    real = cb.run_format

    def run_format(session: Any, prompt: str, *rest: Any) -> Any:
        if prompt == "1girl, smil":  # the older keystroke is the slow one
            time.sleep(0.4)
        return real(session, prompt, *rest)

    monkeypatch.setattr(cb, "run_format", run_format)
    panel = ("animagine-xl-4.0", None, 5, 28, cb.default_flags(), None, cb.NO_RATING)
    live = cb.LatestOnly()
    out: dict[str, list[Any]] = {}
    older = threading.Thread(target=lambda: out.setdefault("older", on_format("1girl, smil", "", *panel, live)))
    older.start()
    time.sleep(0.1)
    out["newer"] = on_format("1girl, smile", "", *panel, live)
    older.join()
    assert out["newer"][0].startswith("1girl, smile, masterpiece")
    # The stale pass changes nothing on the page: every output is a no-op update.
    assert all(isinstance(value, dict) and set(value) <= {"__type__"} for value in out["older"])
