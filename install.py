"""Run by the WebUI at every start (``python install.py``, cwd = the WebUI root): install what is missing.

The WebUI never installs an extension's requirements file by itself. This reads
``requirements/runtime.txt`` and installs, through the host's own
``launch.is_installed`` / ``launch.run_pip`` (which honour ``--skip-install``),
only the packages that are not installed at all; a second start installs
nothing and never up- or downgrades a package another extension relies on.
``tipo-kgen`` (Danbooru tag lists, data only) goes in with ``--no-deps`` because
its torch/transformers requirements are not ours.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNTIME_REQUIREMENTS = HERE / "requirements" / "runtime.txt"
NO_DEPS = ("tipo-kgen==0.3.1",)


def read_requirements(path: Path) -> list[str]:
    """Requirement lines without comments, blank lines or pip options."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            lines.append(line)
    return lines


def distribution_name(requirement: str) -> str:
    """``marisa-trie>=1.2,<2`` -> ``marisa-trie``."""
    return re.split(r"[\s<>=!~;\[@]", requirement, maxsplit=1)[0]


def plan(launch: object, requirements: list[str], no_deps: tuple[str, ...] = NO_DEPS) -> list[tuple[str, str]]:
    """``(pip arguments, description)`` for each missing package, in install order."""
    steps = []
    for requirement in requirements:
        name = distribution_name(requirement)
        if not launch.is_installed(name):  # type: ignore[attr-defined]
            steps.append((f'install "{requirement}"', f"{name} for Animagine XL"))
    for requirement in no_deps:
        name = distribution_name(requirement)
        if not launch.is_installed(name):  # type: ignore[attr-defined]
            steps.append((f'install --no-deps "{requirement}"', f"{name} (tag lists) for Animagine XL"))
    return steps


def main() -> None:
    import launch  # the WebUI's launch.py; PYTHONPATH points at the WebUI root

    for command, description in plan(launch, read_requirements(RUNTIME_REQUIREMENTS)):
        try:
            launch.run_pip(command, description)
        except Exception as exc:  # one failed package must not stop the WebUI from starting
            print(f"[Animagine XL] could not install {description}: {exc}")


if __name__ == "__main__":
    main()
