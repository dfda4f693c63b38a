"""The event listeners of a built ``gr.Blocks``, read the same way under gradio 3.41 and 4.40.

gradio 3.41 keeps each listener as a config dict in ``blocks.dependencies`` beside a list of
``BlockFunction``s at the same index; 4.x keeps only the ``BlockFunction``s, in a dict, each
with ``(block id, event name)`` targets. Tests that need to find the function behind an event
(to call it the way the page would) read both through this one view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Listener:
    fn: Callable[..., Any]
    targets: tuple[tuple[int, str], ...]  # (block id, trigger) pairs
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]

    def fires_on(self, block_id: int, trigger: str) -> bool:
        return (block_id, trigger) in self.targets


def listeners(blocks: Any) -> list[Listener]:
    if isinstance(blocks.fns, dict):  # gradio 4
        return [
            Listener(
                f.fn,
                tuple((int(i), str(e)) for i, e in f.targets),
                tuple(b._id for b in f.inputs),
                tuple(b._id for b in f.outputs),
            )
            for f in blocks.fns.values()
        ]
    out = []
    for f, d in zip(blocks.fns, blocks.dependencies):  # gradio 3.41: "targets" ids and one "trigger"
        targets = tuple((i, d["trigger"]) for i in d["targets"]) or ((blocks._id, d["trigger"]),)
        out.append(Listener(f.fn, targets, tuple(d["inputs"]), tuple(d["outputs"])))
    return out


def choice_values(component: Any) -> list[Any]:
    """A Dropdown's or Radio's values: gradio 4 stores ``(label, value)`` pairs, 3.41 plain values."""
    return [c[1] if isinstance(c, tuple) else c for c in component.choices]
