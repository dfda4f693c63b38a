"""Run every ``bench/bench_*.py`` in its own process and print their figures.

Benchmarks print numbers (with a same-run baseline) and never fail on a target:
a timing target in a test would flake on a loaded machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        done = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        if done.returncode != 0:
            print(f"!! {script.name} exited with {done.returncode}", flush=True)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
