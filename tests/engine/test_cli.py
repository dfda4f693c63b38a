"""``python -m animagine_prompt format`` as a person and a shell script use it (real subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROMPT = "masterpiece, smile, hatsune_miku, 1girl"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "animagine_prompt", "format", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


def test_default_output_has_prompt_negative_and_settings():
    done = run(PROMPT)
    assert done.returncode == 0
    prompt, negative, settings = done.stdout.splitlines()
    assert prompt.startswith("1girl, hatsune miku, vocaloid, smile") and prompt.endswith("absurdres")
    assert negative.startswith("Negative prompt: lowres, ")
    assert settings == "Steps: 28, Sampler: Euler a, Schedule type: Automatic, CFG scale: 5, Size: 832x1216"


def test_settings_line_follows_the_preset_and_size():
    done = run("--preset", "3.1", "--width", "1000", "--height", "600", PROMPT)
    assert done.stdout.splitlines()[2] == (
        "Steps: 28, Sampler: Euler a, Schedule type: Automatic, CFG scale: 7, Size: 1344x768"
    )


def test_prompt_only_prints_just_the_prompt():
    done = run("--prompt-only", PROMPT)
    assert done.returncode == 0
    assert done.stdout.count("\n") == 1 and done.stdout.startswith("1girl, hatsune miku")


def test_json_is_unchanged():
    body = json.loads(run("--json", PROMPT).stdout)
    assert body["settings"]["cfg_scale"] == 5.0 and body["prompt"].startswith("1girl")


def test_json_and_prompt_only_are_exclusive():
    assert run("--json", "--prompt-only", PROMPT).returncode == 2


def test_head_closing_the_pipe_exits_quietly():
    # Output far over a pipe's buffer, so the writer is still writing when head exits.
    tags = ", ".join(f"tag{i}" for i in range(40000))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    cmd = f"{sys.executable} -m animagine_prompt format --json - | head -1"
    done = subprocess.run(
        ["bash", "-c", cmd], input=tags, capture_output=True, text=True, env=env, cwd=REPO, timeout=120
    )
    assert done.stdout == "{\n"
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
