"""The package's top level is its documented library API (README, issue 11 item 8)."""

from __future__ import annotations

import subprocess
import sys


def test_the_readme_example_runs_from_the_top_level(real_tagdb):
    from animagine_prompt import format_prompt, get_preset, load_knowledge

    assert callable(load_knowledge)
    result = format_prompt("hatsune_miku, 1girl", db=real_tagdb, preset=get_preset("4.0"))
    assert result.prompt.startswith("1girl, hatsune miku")
    assert result.error is None and "lowres" in result.negative_prompt
    assert {c.kind for c in result.changes} >= {"added"}
    assert all(hasattr(c, f) for c in result.changes for f in ("kind", "text", "original", "reason"))


def test_importing_the_package_loads_no_engine_and_no_gradio():
    code = (
        "import sys, animagine_prompt\n"
        "print(sorted(m for m in sys.modules if m.startswith(('animagine', 'gradio'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['animagine_prompt']"
