"""The real-host tier: opt-in, one host at a time, figures printed at the end.

Every test here is skipped, with the reason, unless ``ANIMAGINE_REALHOST=1``
(``./dev.sh test-realhost`` sets it) and ``REALHOST_DIR`` (default
``~/.cache/realhost``) holds the host that test needs, so the default run reports
skips, never failures. The ``host`` fixture is module-scoped and parametrised, so
pytest runs all of one host's tests before starting the next: each host starts
once, with the extension linked in, and is stopped and unlinked afterwards.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostkit import HOSTS, Host, missing_setup  # noqa: E402

FIGURES: list[str] = []


def figure(line: str) -> None:
    """A measured figure for the summary at the end of the run (pytest hides test stdout)."""
    FIGURES.append(line)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.realhost)
            if os.environ.get("ANIMAGINE_REALHOST") != "1":
                why = "real-host tier: run ./dev.sh test-realhost (ANIMAGINE_REALHOST=1)"
                item.add_marker(pytest.mark.skip(reason=why))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    if FIGURES:
        terminalreporter.section("real-host figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


class Running:
    """A started host with the extension linked, plus what installing it printed."""

    def __init__(self, host: Host, installs: list[tuple[int, str]], ready_s: float) -> None:
        self.host = host
        self.installs = installs
        self.ready_s = ready_s


@pytest.fixture(scope="module", params=list(HOSTS))
def host(request: pytest.FixtureRequest) -> Iterator[Running]:
    kind = HOSTS[request.param]
    why = missing_setup(kind)
    if why:
        pytest.skip(f"{kind.name}: {why}")
    h = Host(kind)
    h.stop()  # a host left running by an interrupted run
    h.link_extension()
    try:
        installs = []
        for _ in range(2):
            done = h.run_install()
            installs.append((done.returncode, done.stdout + done.stderr))
        started = h.start()
        ready = h.wait_ready(started)
        figure(f"{kind.name}: launch to /sdapi/v1/script-info {ready:.1f} s, RSS {h.rss_kb() / 1024:.0f} MB")
        yield Running(h, installs, ready)
    finally:
        h.stop()
        h.unlink_extension()
