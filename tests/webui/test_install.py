"""install.py against a fake ``launch`` module: install what is missing or too old, through the host's pip.

The versions it installs come from ``pyproject.toml`` only; these tests read the
expectations from the same file with ``tomllib`` so a second list cannot creep in.
"""

from __future__ import annotations

import re
import runpy
import sys
import types
from pathlib import Path

import pytest

from animagine_prompt.presets import tomllib

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "install.py"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DEPENDENCIES = PYPROJECT["project"]["dependencies"]
NO_DEPS = PYPROJECT["tool"]["sd-webui-animagine"]["no-deps"]


@pytest.fixture
def install() -> types.SimpleNamespace:
    return types.SimpleNamespace(**runpy.run_path(str(INSTALL)))


def fake_launch(installed: dict[str, str]) -> types.ModuleType:
    launch = types.ModuleType("launch")
    launch.calls = []
    launch.is_installed = lambda name: name in installed
    launch.run_pip = lambda command, desc=None, live=False: launch.calls.append((command, desc))
    return launch


def run_install(monkeypatch, installed: dict[str, str]) -> list[tuple[str, str]]:
    """Run install.py as the host does, with ``installed`` as the venv's {distribution: version}."""
    from importlib import metadata

    launch = fake_launch(installed)
    monkeypatch.setitem(sys.modules, "launch", launch)

    def version(name: str) -> str:
        if name not in installed:
            raise metadata.PackageNotFoundError(name)
        return installed[name]

    monkeypatch.setattr(metadata, "version", version)
    runpy.run_path(str(INSTALL), run_name="__main__")
    return launch.calls


def applies(requirement: str) -> bool:
    from packaging.requirements import Requirement

    marker = Requirement(requirement).marker
    return marker is None or marker.evaluate()


def satisfied() -> dict[str, str]:
    """A venv where every declared requirement is met (at the lowest version each range allows)."""
    from packaging.requirements import Requirement

    out = {}
    for requirement in DEPENDENCIES + NO_DEPS:
        req = Requirement(requirement)
        out[req.name] = next(s.version for s in req.specifier if s.operator in (">=", "=="))
    return out


def test_install_py_reads_exactly_what_pyproject_declares(install):
    assert install.declared_requirements() == (DEPENDENCIES, NO_DEPS)


def test_first_start_installs_the_runtime_requirements_and_tag_lists(monkeypatch):
    commands = [c for c, _ in run_install(monkeypatch, {})]
    expected = [f'install "{r}"' for r in DEPENDENCIES if applies(r)]  # quoted: run_pip goes through a shell
    expected += [f'install --no-deps "{r}"' for r in NO_DEPS]
    assert commands == expected
    assert 'install "marisa-trie>=1.2,<2"' in commands


def test_second_start_installs_nothing_and_prints_nothing(monkeypatch, capsys):
    assert run_install(monkeypatch, satisfied()) == []
    assert capsys.readouterr().out == ""


def test_only_the_missing_package_is_installed(monkeypatch):
    installed = satisfied()
    del installed["rapidfuzz"]
    calls = run_install(monkeypatch, installed)
    assert [c for c, _ in calls] == ['install "rapidfuzz>=3,<4"']
    assert "Animagine XL" in calls[0][1]


def test_an_installed_version_below_the_range_is_upgraded(monkeypatch):
    installed = satisfied() | {"rapidfuzz": "2.15.1"}
    assert [c for c, _ in run_install(monkeypatch, installed)] == ['install --upgrade "rapidfuzz>=3,<4"']


def test_a_version_above_the_range_is_never_downgraded_and_is_named_once(monkeypatch, capsys):
    installed = satisfied() | {"marisa-trie": "2.1.0"}
    assert run_install(monkeypatch, installed) == []
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "marisa-trie 2.1.0" in out[0] and "left as installed" in out[0]


def test_a_marker_for_another_python_installs_nothing(install):
    steps, notes = install.plan(fake_launch({}), ["tomli>=1.1; python_version < '3.0'"], [], lambda n: None)
    assert steps == [] and notes == []


def test_the_reader_survives_comments_and_quotes(install, tmp_path):
    f = tmp_path / "pyproject.toml"
    f.write_text(
        '[project]\nname = "x"\ndependencies = [  # note ]\n  "a>=1,<2",  # why\n  \'b; python_version < "3.11"\',\n]\n'
        '[tool.sd-webui-animagine]\nno-deps = ["c==1"]\n',
        encoding="utf-8",
    )
    assert install.declared_requirements(f) == (["a>=1,<2", 'b; python_version < "3.11"'], ["c==1"])


def test_a_failing_pip_does_not_stop_the_webui(monkeypatch, capsys):
    launch = fake_launch({})

    def boom(command, desc=None, live=False):
        raise RuntimeError("no network")

    launch.run_pip = boom
    monkeypatch.setitem(sys.modules, "launch", launch)
    runpy.run_path(str(INSTALL), run_name="__main__")
    wanted = sum(applies(r) for r in DEPENDENCIES) + len(NO_DEPS)
    assert capsys.readouterr().out.count("could not install") == wanted


def test_the_readme_names_exactly_the_declared_packages():
    """The README's install note is the user's view of pyproject.toml: the same packages, no stale ones."""
    from packaging.requirements import Requirement

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    note = readme[readme.index("**Install from URL**") :].split("\n- ", 1)[0]
    declared = {Requirement(r).name for r in DEPENDENCIES + NO_DEPS}
    named = set(re.findall(r"`([A-Za-z0-9_-]+)`", note))
    assert named == declared
