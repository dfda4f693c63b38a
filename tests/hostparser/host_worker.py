"""Reads prompts the way a real WebUI checkout does, with that checkout's own code.

Run with the host's own Python (its venv has the ``lark`` it pins), one process per host:

    <venv>/bin/python host_worker.py <webui dir> <a1111|reforge>

and fed one JSON object per line (``{"text": ..., "steps": 28, "negative": false}``); it answers
one line each: ``{"parts": [[weight, [[last_step, [[text, weight], ...]], ...]], ...],
"networks": [[name, [args...]], ...]}`` or ``{"error": "..."}`` where the host raises.

Nothing here re-implements the host: ``modules/prompt_parser.py`` is imported from the
checkout, and the two functions that live in modules which import the whole WebUI
(``strip_comments`` in ``modules/processing_scripts/comments.py``, ``re_extra_net`` in
``modules/extra_networks.py``) are compiled from the checkout's own source, cut out of their
module with ``ast``. The stages run in the host's order: comments (the ``process`` hook of the
comments script), extra networks (``parse_extra_network_prompts``), ``AND`` and weights
(``get_multicond_prompt_list``), schedules (``get_learned_conditioning_prompt_schedules``) and
attention with ``BREAK`` (``parse_prompt_attention``, called from the CLIP wrapper).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
import types
from pathlib import Path


def _definitions(path: Path, names: set[str]) -> dict:
    """The named top-level functions/assignments of ``path``, compiled on their own."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    keep = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            keep.append(node)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in names for t in node.targets):
            keep.append(node)
    namespace: dict = {"re": re}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(path), "exec"), namespace)  # noqa: S102
    missing = names - namespace.keys()
    if missing:
        raise SystemExit(f"host_worker: {sorted(missing)} not found in {path}")
    return namespace


def _torch_if_absent() -> None:
    """A bare checkout's Python may have no torch: ``prompt_parser.py`` imports it at its end for the
    conditioning tensors, which reading a prompt never touches, so an empty module stands in."""
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.modules["torch"] = types.ModuleType("torch")


def load(webui: Path):
    _torch_if_absent()
    spec = importlib.util.spec_from_file_location("host_prompt_parser", webui / "modules" / "prompt_parser.py")
    parser = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(parser)
    comments = _definitions(webui / "modules" / "processing_scripts" / "comments.py", {"strip_comments"})
    networks = _definitions(webui / "modules" / "extra_networks.py", {"re_extra_net"})
    return parser, comments["strip_comments"], networks["re_extra_net"]


def view(parser, strip_comments, re_extra_net, text: str, steps: int, negative: bool) -> dict:
    text = strip_comments(text)  # on by default in both hosts (A1111: "enable_prompt_comments")
    found: list = []

    def network(m: re.Match) -> str:
        found.append([m.group(1), m.group(2).split(":")])
        return ""

    text = re.sub(re_extra_net, network, text)
    if negative:
        subprompts = [(text, 1.0)]
    else:
        indexes, flat, _ = parser.get_multicond_prompt_list([text])
        subprompts = [(flat[i], w) for i, w in indexes[0]]
    parts = []
    for sub, weight in subprompts:
        (schedules,) = parser.get_learned_conditioning_prompt_schedules([sub], steps)
        parts.append([weight, [[end, parser.parse_prompt_attention(step_text)] for end, step_text in schedules]])
    return {"parts": parts, "networks": found}


def main() -> None:
    webui = Path(sys.argv[1])
    parser, strip_comments, re_extra_net = load(webui)
    print(json.dumps({"ready": str(webui)}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        try:
            steps, negative = ask.get("steps", 28), ask.get("negative", False)
            out = view(parser, strip_comments, re_extra_net, ask["text"], steps, negative)
        except Exception as exc:  # noqa: BLE001 - the host raising is an answer too
            out = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
