"""Run by the WebUI at every start (``python install.py``, cwd = the WebUI root): install what is missing.

The WebUI never installs an extension's requirements by itself. This reads the
one declaration of them, ``pyproject.toml`` (``[project] dependencies`` and
``[tool.sd-webui-animagine] no-deps``), and through the host's own
``launch.is_installed`` / ``launch.run_pip`` (which honour ``--skip-install``):

- installs a package that is missing, and upgrades one older than its range;
- never downgrades one that is newer than the range (the host or another
  extension pins it): it says so in one console line and leaves it;
- prints nothing at all on a start where there is nothing to do.

It runs on the host's Python before the extension's packages exist, so it reads
the TOML arrays it needs with a small reader of its own (Python 3.10 has no
``tomllib``); a test checks that reader against ``tomllib`` on the real file.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYPROJECT = HERE / "pyproject.toml"
PREFIX = "[Animagine XL]"


def _toml_string_array(text: str, table: str, key: str) -> list[str]:
    """The strings of ``key = [...]`` inside ``[table]`` (double- or single-quoted, one per item)."""
    lines = text.splitlines()
    inside = False
    collecting = False
    body: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not collecting and stripped.startswith("["):
            inside = stripped == f"[{table}]"
            continue
        if inside and not collecting and re.match(rf"{re.escape(key)}\s*=\s*\[", stripped):
            collecting = True
            stripped = stripped.split("[", 1)[1]
        if collecting:
            body.append(_strip_toml_comment(stripped))
            if "]" in body[-1]:
                break
    joined = " ".join(body).rsplit("]", 1)[0]
    return [m.group(2) for m in re.finditer(r"""(["'])(.*?)\1""", joined)]


def _strip_toml_comment(line: str) -> str:
    """``"a#b", # note`` -> ``"a#b",``: a ``#`` outside quotes starts a comment."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i]
    return line


def declared_requirements(pyproject: Path = PYPROJECT) -> tuple[list[str], list[str]]:
    """``(dependencies, no-deps packages)`` as ``pyproject.toml`` declares them."""
    text = pyproject.read_text(encoding="utf-8")
    return (
        _toml_string_array(text, "project", "dependencies"),
        _toml_string_array(text, "tool.sd-webui-animagine", "no-deps"),
    )


def declared_extra(name: str, pyproject: Path = PYPROJECT) -> list[str]:
    """``[project.optional-dependencies] name``: what dev.sh installs for the app and the tests."""
    return _toml_string_array(pyproject.read_text(encoding="utf-8"), "project.optional-dependencies", name)


def distribution_name(requirement: str) -> str:
    """``marisa-trie>=1.2,<2`` -> ``marisa-trie``."""
    return re.split(r"[\s<>=!~;\[@]", requirement, maxsplit=1)[0]


def installed_version(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def verdict(requirement: str, version: str | None) -> str:
    """``skip`` (marker false), ``missing``, ``ok``, ``old`` (upgrade) or ``new`` (newer than the range: keep)."""
    try:
        from packaging.requirements import Requirement
        from packaging.version import InvalidVersion, Version
    except ImportError:  # no packaging: fall back to "present is good enough"
        return "missing" if version is None else "ok"
    req = Requirement(requirement)
    if req.marker is not None and not req.marker.evaluate():
        return "skip"
    if version is None:
        return "missing"
    try:
        have = Version(version)
    except InvalidVersion:
        return "ok"
    if req.specifier.contains(have, prereleases=True):
        return "ok"
    for spec in req.specifier:
        try:
            bound = Version(spec.version.rstrip(".*"))
        except InvalidVersion:
            continue
        if not spec.contains(have, prereleases=True) and have > bound:
            return "new"
    return "old"


def plan(
    launch: object,
    requirements: list[str],
    no_deps: list[str],
    version_of: Callable[[str], str | None] = installed_version,
) -> tuple[list[tuple[str, str]], list[str]]:
    """``(pip steps, console notes)``: each step is ``(pip arguments, description)``, in install order."""
    steps: list[tuple[str, str]] = []
    notes: list[str] = []
    wanted = [(r, "", "") for r in requirements] + [(r, "--no-deps ", " (tag lists)") for r in no_deps]
    for requirement, flags, what in wanted:
        name = distribution_name(requirement)
        present = launch.is_installed(name)  # type: ignore[attr-defined]
        state = verdict(requirement, version_of(name) if present else None)
        if state == "missing":
            steps.append((f'install {flags}"{requirement}"', f"{name}{what} for Animagine XL"))
        elif state == "old":
            steps.append((f'install --upgrade {flags}"{requirement}"', f"{name}{what} upgrade for Animagine XL"))
        elif state == "new":
            notes.append(
                f"{PREFIX} {name} {version_of(name)} is newer than the tested range ({requirement}); "
                "left as installed (another part of the WebUI may need it)"
            )
    return steps, notes


def main() -> None:
    import launch  # the WebUI's launch.py; PYTHONPATH points at the WebUI root

    try:
        requirements, no_deps = declared_requirements()
    except OSError as exc:
        print(f"{PREFIX} cannot read {PYPROJECT}: {exc.strerror}")
        return
    steps, notes = plan(launch, requirements, no_deps)
    for note in notes:
        print(note)
    for command, description in steps:
        try:
            launch.run_pip(command, description)
        except Exception as exc:  # one failed package must not stop the WebUI from starting
            print(f"{PREFIX} could not install {description}: {exc}", file=sys.stdout)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--requirements"]:  # dev.sh: the declared requirements, one per line, for pip -r
        deps, no_deps = declared_requirements()
        extras = [r for e in sys.argv[2:] for r in declared_extra(e)]
        print("\n".join(no_deps if sys.argv[2:3] == ["no-deps"] else deps + extras))
    else:
        main()
