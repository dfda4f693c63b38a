"""The real hosts' prompt readers, one worker process per host (opt-in tier).

Point ``ANIMAGINE_HOST_A1111`` / ``ANIMAGINE_HOST_REFORGE`` at a WebUI checkout (a
``../shared/realhost`` set-up, or git copies of kklouzal/stable-diffusion-webui at v1.10.1 and
Panchovix/stable-diffusion-webui-reForge main); ``./dev.sh test-host`` does that from
``REALHOST_DIR``. The worker runs under the host's own venv (``<checkout>/../venv``, or
``ANIMAGINE_HOST_<NAME>_PYTHON``), so ``lark`` is the version that host pins. Without a checkout
every test here skips, saying so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import hostsem

HERE = Path(__file__).resolve().parent
DIALECTS = {"a1111": hostsem.A1111, "reforge": hostsem.REFORGE}


class HostReader:
    """Asks one real host's code what it reads from a text (see ``host_worker.py``)."""

    def __init__(self, name: str, webui: Path, python: str) -> None:
        self.name = name
        self.dialect = DIALECTS[name]
        self.proc = subprocess.Popen(
            [python, str(HERE / "host_worker.py"), str(webui)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
            env={**os.environ, "PYTHONHASHSEED": "0"},  # see hostsem.HostAmbiguous
        )
        ready = self.proc.stdout.readline()
        if not ready:
            raise RuntimeError(f"the {name} worker did not start ({python} {webui})")

    def view(self, text: str, *, steps: int = 28, negative: bool = False) -> dict:
        self.proc.stdin.write(json.dumps({"text": text, "steps": steps, "negative": negative}) + "\n")
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _python_for(name: str, webui: Path) -> str | None:
    given = os.environ.get(f"ANIMAGINE_HOST_{name.upper()}_PYTHON")
    if given:
        return given
    venv = webui.parent / "venv" / "bin" / "python"
    if venv.exists():
        return str(venv)
    probe = subprocess.run([sys.executable, "-c", "import lark"], capture_output=True)
    return sys.executable if probe.returncode == 0 else None


@pytest.fixture(scope="session", params=sorted(DIALECTS))
def host(request) -> HostReader:
    name = request.param
    given = os.environ.get(f"ANIMAGINE_HOST_{name.upper()}")
    if not given:
        pytest.skip(f"ANIMAGINE_HOST_{name.upper()} is not set (the {name} WebUI checkout; see this conftest.py)")
    webui = Path(given)
    if not (webui / "modules" / "prompt_parser.py").exists():
        pytest.skip(f"no modules/prompt_parser.py under ANIMAGINE_HOST_{name.upper()}={webui}")
    python = _python_for(name, webui)
    if python is None:
        pytest.skip(f"no Python with lark for {name}: set ANIMAGINE_HOST_{name.upper()}_PYTHON")
    reader = HostReader(name, webui, python)
    yield reader
    reader.close()
