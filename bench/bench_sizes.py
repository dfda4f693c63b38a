"""The generation path by prompt size, its longest pauses, and TIPO's tag sorter on the same prompts.

Run: ``python bench/bench_sizes.py``.

For 10, 40, 300 and 500 tags (real Danbooru general tags from the bundled snapshot, with a
character, a weight, a schedule, a LoRA and a BREAK the way users write them), every prompt new
to the engine, the real knowledge base warm:

- p50 / p99 microseconds per prompt of ``format_prompt(..., lint=False)`` (what every image of a
  WebUI generation calls);
- the same for TIPO's sorter (``kgen.formatter``: ``seperate_tags`` over the comma-split prompt,
  then ``apply_format`` with an Animagine order), the peer tool users compare us with. It is a
  plain category sort: it reads no weights, schedules, BREAK or comments, so it does less;
  the ratio says what the full syntax costs;
- the longest single call and the longest garbage-collector pause seen while formatting the
  500-tag prompts (``gc.callbacks``), against the issue's 5 ms.

Targets (issue 11): p50 <= 100 us at 40 tags, ratio to TIPO <= 1.0x, no pause over 5 ms.
Figures over target are flagged, never failed: timings flake on shared machines.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench_engine import latencies_us, pct, pin_one_core  # noqa: E402  # this folder's own timing helpers

from animagine_prompt.formatter import format_prompt  # noqa: E402
from animagine_prompt.presets import get_preset  # noqa: E402

SIZES = (10, 40, 300, 500)
PROMPTS_PER_SIZE = {10: 2000, 40: 1000, 300: 200, 500: 150}
TARGET_P50_US = 100.0
TARGET_PAUSE_MS = 5.0
TIPO_FORM = "<|special|>, <|characters|>, <|copyrights|>, <|rating|>, <|artist|>, <|general|>, <|meta|>, <|quality|>"


def general_tags(min_posts: int = 2000) -> list[str]:
    """Danbooru general tags with enough posts to be typed, from the bundled snapshot."""
    import csv
    import gzip

    from animagine_prompt.tagdb.config import BUNDLED_GENERAL

    with gzip.open(BUNDLED_GENERAL, "rt", encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh) if len(r) > 2 and r[2].isdigit()]
    return sorted(r[0].replace("_", " ") for r in rows if int(r[2]) >= min_posts and "," not in r[0])


def sized_prompt(rng: random.Random, pool: list[str], n: int) -> str:
    extras = ["1girl", "hatsune miku", "<lora:style:0.7>", "masterpiece"]
    items = rng.sample(pool, n - len(extras))
    items[0] = f"({items[0]}:1.2)"
    items[1] = f"[{items[1]}:{items[2]}:0.5]"
    del items[2]
    items += extras
    rng.shuffle(items)
    half = len(items) // 2
    return ", ".join(items[:half]) + " BREAK " + ", ".join(items[half:])


class GcPauses:
    """The longest collection seen between ``start`` and ``stop`` (gc.callbacks)."""

    def __init__(self) -> None:
        self.longest_ms = 0.0
        self._t0 = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t0 = time.perf_counter()
        else:
            self.longest_ms = max(self.longest_ms, 1000 * (time.perf_counter() - self._t0))

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def main() -> int:
    pinned = pin_one_core()
    from kgen import formatter as tipo  # the tipo-kgen package the tag lists already come from

    from animagine_prompt.tagdb import TagDBConfig, load_tagdb

    db = load_tagdb(TagDBConfig(tagcomplete_dirs=()))
    preset = get_preset("animagine-xl-4.0")
    pool = general_tags()

    def engine(p: str) -> object:
        return format_prompt(p, db=db, preset=preset, lint=False)

    def tipo_sort(p: str) -> object:
        return tipo.apply_format(tipo.seperate_tags(p.split(",")), TIPO_FORM)

    rng = random.Random(20261208)
    for p in (sized_prompt(rng, pool, n) for n in SIZES for _ in range(50)):  # warm the item memo
        engine(p)
    print(f"generation path by size ({pinned}; every prompt new to the engine; real knowledge base)")
    print(f"  {'tags':>5}  {'ours p50':>9} {'p99':>9}   {'TIPO p50':>9} {'p99':>9}   {'ratio p50':>9}")
    flags = []
    worst_call = worst_gc = 0.0
    for n in SIZES:
        prompts = [sized_prompt(rng, pool, n) for _ in range(PROMPTS_PER_SIZE[n])]
        with GcPauses() as pauses:
            ours = latencies_us(engine, prompts)
        theirs = latencies_us(tipo_sort, prompts)
        ratio = pct(ours, 0.5) / pct(theirs, 0.5)
        print(
            f"  {n:>5}  {pct(ours, 0.5):9.0f} {pct(ours, 0.99):9.0f}   "
            f"{pct(theirs, 0.5):9.0f} {pct(theirs, 0.99):9.0f}   {ratio:8.1f}x   (us)"
        )
        if n == 40 and pct(ours, 0.5) > TARGET_P50_US:
            flags.append(f"p50 at 40 tags {pct(ours, 0.5):.0f} us > {TARGET_P50_US:.0f} us")
        if ratio > 1.0:
            flags.append(f"{ratio:.1f}x TIPO at {n} tags")
        if n == max(SIZES):
            worst_call, worst_gc = ours[-1] / 1000, pauses.longest_ms
    print(f"  at {max(SIZES)} tags: longest call {worst_call:.1f} ms, longest GC pause {worst_gc:.1f} ms")
    if worst_gc > TARGET_PAUSE_MS:
        flags.append(f"GC pause {worst_gc:.1f} ms > {TARGET_PAUSE_MS:.0f} ms")
    print("  targets: " + ("met" if not flags else "OVER: " + "; ".join(flags)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
