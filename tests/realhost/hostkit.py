"""Start, probe and stop the real WebUIs that ``shared/realhost/setup.sh`` builds under ``REALHOST_DIR``.

Only the kit's own scripts touch a host: ``start-<host>.sh`` (background, own process
group, log ``<host>.log``, pid ``<host>.pid``), ``stop-<host>.sh`` and ``env-<host>.sh``.
The extension is installed the way a user's checkout is: a folder (here a symlink to
this checkout) under ``<host>/data-<host>/extensions/``, and ``install.py`` run by the
host's Python from the host's folder, as the launcher runs it.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
EXTENSION_NAME = "sd-webui-animagine"


def realhost_dir() -> Path:
    return Path(os.environ.get("REALHOST_DIR") or Path.home() / ".cache" / "realhost")


@dataclass(frozen=True)
class HostKind:
    name: str
    port: int
    webui: str  # the host's folder under <REALHOST_DIR>/<name>/


HOSTS = {
    "a1111": HostKind("a1111", 7861, "stable-diffusion-webui"),
    "reforge": HostKind("reforge", 7862, "stable-diffusion-webui-reForge"),
}


def missing_setup(kind: HostKind, root: Path | None = None) -> str | None:
    """Why this host cannot run here, or None when its set-up is complete."""
    base = (root or realhost_dir()) / kind.name
    for need in (f"start-{kind.name}.sh", f"stop-{kind.name}.sh", f"env-{kind.name}.sh", kind.webui):
        if not (base / need).exists():
            return f"{base / need} is missing (build it with shared/realhost/setup.sh, or set REALHOST_DIR)"
    return None


class Host:
    """One real host: its folders, its extension link, its process."""

    def __init__(self, kind: HostKind, root: Path | None = None) -> None:
        self.kind = kind
        self.base = (root or realhost_dir()) / kind.name
        self.webui = self.base / kind.webui
        self.link = self.base / f"data-{kind.name}" / "extensions" / EXTENSION_NAME
        self.log_file = self.base / f"{kind.name}.log"
        self.pid_file = self.base / f"{kind.name}.pid"
        self.url = f"http://127.0.0.1:{kind.port}"

    # -- the extension -----------------------------------------------------------------------
    def link_extension(self) -> None:
        if self.link.is_symlink() or self.link.exists():
            self.unlink_extension()
        self.link.symlink_to(REPO, target_is_directory=True)

    def unlink_extension(self) -> None:
        if self.link.is_symlink():
            self.link.unlink()
        elif self.link.exists():
            raise RuntimeError(f"{self.link} is a real folder, not our link: left alone")

    def run_install(self) -> subprocess.CompletedProcess[str]:
        """``install.py`` as the launcher runs it: the host's venv, cwd and PYTHONPATH = the WebUI root."""
        script = (
            f". {shlex.quote(str(self.base / f'env-{self.kind.name}.sh'))} && cd {shlex.quote(str(self.webui))} "
            f"&& PYTHONPATH=$PWD python {shlex.quote(str(self.link / 'install.py'))}"
        )
        return subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=900)

    # -- the process ---------------------------------------------------------------------------
    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def start(self, *extra_args: str) -> float:
        """Start in the background; returns the wall-clock time of the launch."""
        if self.pid() is not None:
            raise RuntimeError(f"{self.kind.name} is already running (pid {self.pid()})")
        started = time.monotonic()
        subprocess.run([str(self.base / f"start-{self.kind.name}.sh"), *extra_args], check=True, capture_output=True)
        return started

    def wait_ready(self, started: float, timeout: float = 600.0) -> float:
        """Seconds from ``started`` until the host printed ``Startup time:`` (after its API routes and the
        ``app_started`` callbacks, ours included) and ``/sdapi/v1/script-info`` answers.

        The log is watched instead of polling HTTP: a request that reaches A1111 before its API
        middleware is added kills it ("Cannot add middleware after an application has started").
        """
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.pid() is None:
                raise RuntimeError(f"{self.kind.name} exited while starting; log tail:\n{self.log_tail()}")
            if "Startup time:" in self.log():
                ready = time.monotonic() - started
                self.get("/sdapi/v1/script-info")
                return ready
            time.sleep(0.05)
        raise TimeoutError(f"{self.kind.name} not ready after {timeout:.0f} s; log tail:\n{self.log_tail()}")

    def stop(self) -> None:
        subprocess.run([str(self.base / f"stop-{self.kind.name}.sh")], check=False, capture_output=True)

    def rss_kb(self) -> int:
        """Resident memory of the host process (launch.py runs the WebUI in-process)."""
        pid = self.pid()
        if pid is None:
            return 0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def log(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    # -- HTTP ----------------------------------------------------------------------------------
    def get(self, route: str, timeout: float = 60) -> Any:
        with urllib.request.urlopen(f"{self.url}{route}", timeout=timeout) as answer:
            return json.loads(answer.read())

    def post(self, route: str, body: Any, timeout: float = 1800) -> Any:
        request = urllib.request.Request(
            f"{self.url}{route}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"POST {route} -> {exc.code}: {exc.read()[:2000]!r}") from exc


def parse_infotext(text: str) -> tuple[str, str, dict[str, str]]:
    """(prompt, negative prompt, parameters) of an infotext, for the simple values a test compares.

    Values the host JSON-quotes (they hold ``,`` or ``:``) are unquoted.
    """
    lines = text.strip().split("\n")
    params_line = lines[-1]
    body = lines[:-1]
    negative_at = next((i for i, line in enumerate(body) if line.startswith("Negative prompt: ")), None)
    if negative_at is None:
        prompt, negative = "\n".join(body), ""
    else:
        prompt = "\n".join(body[:negative_at])
        negative = "\n".join(body[negative_at:])[len("Negative prompt: ") :]
    params: dict[str, str] = {}
    i = 0
    while i < len(params_line):
        colon = params_line.find(": ", i)
        if colon < 0:
            break
        key = params_line[i:colon].strip()
        j = colon + 2
        if params_line.startswith('"', j):
            end = j + 1
            while end < len(params_line):
                if params_line[end] == "\\":
                    end += 2
                    continue
                if params_line[end] == '"':
                    break
                end += 1
            value = json.loads(params_line[j : end + 1])
            nxt = params_line.find(", ", end)
        else:
            nxt = params_line.find(", ", j)
            value = params_line[j : nxt if nxt >= 0 else len(params_line)]
        params[key] = value
        if nxt < 0:
            break
        i = nxt + 2
    return prompt, negative, params
