"""What the extension adds to a real host's start: launch to API ready, and resident memory.

    python tests/realhost/start_cost.py [a1111|reforge ...] [--runs N]

For each host: N starts without the extension, the first start after install (our tag
index removed, so nothing is cached), then N later starts; each from a stopped host,
one host at a time, each left running until it has used no CPU for 2 s, children
included (so the tag index a first start builds in the background is complete). Hosts start with
``--ui-debug-mode`` (both have it): the checkpoint is not loaded in the background, whose
memory (gigabytes, arriving while we measure) would drown a few megabytes. RSS is read
2 s after the API answers, and again once settled. The host's own
startup profile (``/internal/profile-startup``) gives the time of our script file and of
the whole UI build. Prints one line per start and a median summary; never fails on a target.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostkit import HOSTS, REPO, Host, missing_setup  # noqa: E402

INDEX_DIRS = (REPO / "tags" / ".index", Path.home() / ".cache" / "sd-webui-animagine")


def one_start(host: Host, label: str) -> dict[str, float]:
    started = host.start("--ui-debug-mode")
    try:
        ready = host.wait_ready(started)
        time.sleep(2)
        rss = host.rss_kb() / 1024
        try:
            records = host.get("/internal/profile-startup").get("records", {})
        except Exception:
            records = {}
        settle_s, settled = _settle(host)
    finally:
        host.stop()
    print(f"{'':8} {label:18} settled after {settle_s:4.1f} s more: rss {settled:7.1f} MB", flush=True)
    ours = sum(v for k, v in records.items() if isinstance(v, float) and "animagine" in k)
    ui = records.get("create ui", 0.0)
    total = sum(v for v in records.values() if isinstance(v, float))
    print(
        f"{host.kind.name:8} {label:18} ready {ready:6.2f} s  rss {rss:7.1f} MB  "
        f"host-profile total {total:5.2f} s, create ui {ui:5.2f} s, our script file {ours:5.3f} s",
        flush=True,
    )
    return {"ready": ready, "rss": rss, "ui": ui, "ours": ours, "settled": settled}


def _cpu_ticks(pgid: int) -> int:
    """CPU ticks of every process in the host's process group (the tag index is built by a child)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def _settle(host: Host, limit: float = 90.0) -> tuple[float, float]:
    """Wait until the host has used no CPU for 2 s (our background tag-database load is done), up to
    ``limit``; returns (seconds waited, RSS in MB then). A started host is left running longer than the
    2 s above, so its index must be complete before the next start is measured."""
    pid = host.pid()
    started = time.monotonic()
    if pid is None:
        return 0.0, 0.0
    last, quiet_since = _cpu_ticks(pid), time.monotonic()
    while time.monotonic() - started < limit:
        time.sleep(0.5)
        now = _cpu_ticks(pid)
        if now - last > 5:  # more than 0.05 s of CPU in half a second: still working
            last, quiet_since = now, time.monotonic()
        elif time.monotonic() - quiet_since >= 2:
            break
    return time.monotonic() - started, host.rss_kb() / 1024


def measure(name: str, runs: int) -> None:
    host = Host(HOSTS[name])
    why = missing_setup(host.kind)
    if why:
        print(f"{name}: skipped, {why}")
        return
    host.stop()
    rows: dict[str, list[dict[str, float]]] = {"without": [], "first": [], "later": []}
    host.unlink_extension()
    one_start(host, "warm-up (no ext)")
    for i in range(runs):
        rows["without"].append(one_start(host, f"without #{i + 1}"))
    host.link_extension()
    try:
        done = host.run_install()
        if done.returncode != 0:
            print(f"{name}: install.py failed:\n{done.stdout}{done.stderr}")
            return
        for folder in INDEX_DIRS:
            shutil.rmtree(folder, ignore_errors=True)
        rows["first"].append(one_start(host, "first after install"))
        for i in range(runs):
            rows["later"].append(one_start(host, f"later #{i + 1}"))
    finally:
        host.unlink_extension()

    def med(key: str, what: str) -> float:
        return statistics.median(r[what] for r in rows[key])

    base_ready, base_rss, base_ui = med("without", "ready"), med("without", "rss"), med("without", "ui")
    base_settled = med("without", "settled")
    for key in ("first", "later"):
        print(
            f"{name:8} {key:6} vs without (medians): start {med(key, 'ready') - base_ready:+.2f} s, "
            f"rss {med(key, 'rss') - base_rss:+.1f} MB (settled {med(key, 'settled') - base_settled:+.1f}), "
            f"create ui {med(key, 'ui') - base_ui:+.2f} s, "
            f"our script file {med(key, 'ours'):.3f} s",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("hosts", nargs="*", default=list(HOSTS))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for name in args.hosts:
        measure(name, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
