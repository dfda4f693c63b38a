"""Load the shim the way A1111 does, in a Python where our packages are *not* installed.

A1111 puts the extension folder on ``sys.path`` only while ``scripts/animagine_xl.py`` runs
(``modules/scripts.py:509-523``). This runs a fresh interpreter with ``-S`` (site-packages added
by hand, ``PYTHONPATH`` dropped: no ``.pth`` finder or dev path makes our packages importable),
loads the shim through the double's ``load_scripts``, then generates: the knowledge base and
every other late import must still resolve after ``sys.path`` was restored.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

DRIVER = r"""
import importlib.util, json, sys
sys.path.append(SITE)
sys.path.insert(0, DOUBLE)
assert importlib.util.find_spec("animagine_webui") is None, "package importable before loading"
import gradio as gr
from modules import processing, scripts, script_callbacks
before = list(sys.path)
scripts.load_scripts([scripts.ScriptFile(REPO, "animagine_xl.py", REPO + "/scripts/animagine_xl.py")])
restored = sys.path == before
script_callbacks.ui_settings_callback()
runner = scripts.scripts_txt2img
with gr.Blocks():
    runner.initialize_scripts(False)
    runner.setup_ui()
ours = runner.script("Animagine XL")
args = runner.default_args()
args[ours.args_from] = True
p = processing.StableDiffusionProcessingTxt2Img(prompt="smile, 1girl", sampler_name="Euler", steps=20)
p.scripts = runner
p.script_args = tuple(args)
res = processing.process_images(p)
from animagine_webui.engine import KNOWLEDGE_BASE
print(json.dumps({"restored": restored, "prompt": p.all_prompts[0], "kb_error": KNOWLEDGE_BASE.error,
                  "infotext": res.infotexts[0], "repo_on_path": REPO in sys.path}))
"""


def test_shim_loads_and_generates_with_the_extension_folder_on_sys_path_only_during_import():
    site = sysconfig.get_paths()["purelib"]
    code = f"SITE={site!r}\nDOUBLE={str(HERE / 'host_double')!r}\nREPO={str(REPO)!r}\n" + DRIVER
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # dev.sh puts the checkout there
    proc = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True, text=True, timeout=240, cwd=str(HERE / "host_double"), env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["restored"] and not out["repo_on_path"]
    assert out["kb_error"] is None  # the tag database's late imports resolved
    assert "Animagine: animagine-xl-4.0" in out["infotext"]
    assert out["infotext"].splitlines()[0] == out["prompt"]
