"""install.py against a fake ``launch`` module: install only what is missing, through the host's pip."""

from __future__ import annotations

import runpy
import sys
import types
from pathlib import Path

INSTALL = Path(__file__).resolve().parents[2] / "install.py"


def fake_launch(installed: set[str]) -> types.ModuleType:
    launch = types.ModuleType("launch")
    launch.calls = []
    launch.is_installed = lambda name: name in installed
    launch.run_pip = lambda command, desc=None, live=False: launch.calls.append((command, desc))
    return launch


def run_install(monkeypatch, installed: set[str]) -> list[tuple[str, str]]:
    launch = fake_launch(installed)
    monkeypatch.setitem(sys.modules, "launch", launch)
    runpy.run_path(str(INSTALL), run_name="__main__")
    return launch.calls


def test_first_start_installs_the_runtime_requirements_and_tag_lists(monkeypatch):
    commands = [c for c, _ in run_install(monkeypatch, set())]
    assert commands == [
        'install "marisa-trie>=1.2,<2"',  # quoted: run_pip goes through a shell, where < is a redirect
        'install "rapidfuzz>=3,<4"',
        'install "requests>=2.28"',
        'install --no-deps "tipo-kgen==0.3.1"',
    ]


def test_second_start_installs_nothing(monkeypatch):
    assert run_install(monkeypatch, {"marisa-trie", "rapidfuzz", "requests", "tipo-kgen"}) == []


def test_only_the_missing_package_is_installed(monkeypatch):
    calls = run_install(monkeypatch, {"marisa-trie", "requests", "tipo-kgen"})
    assert [c for c, _ in calls] == ['install "rapidfuzz>=3,<4"']
    assert "Animagine XL" in calls[0][1]


def test_a_failing_pip_does_not_stop_the_webui(monkeypatch, capsys):
    launch = fake_launch(set())

    def boom(command, desc=None, live=False):
        raise RuntimeError("no network")

    launch.run_pip = boom
    monkeypatch.setitem(sys.modules, "launch", launch)
    runpy.run_path(str(INSTALL), run_name="__main__")
    assert capsys.readouterr().out.count("could not install") == 4
