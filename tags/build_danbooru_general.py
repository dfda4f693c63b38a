"""Rebuild the bundled Danbooru general-tag list from DraconicDragon's dbr-e621-lists-archive.

Why a snapshot and not a live list: Animagine XL 4.0 was trained on Danbooru data up
to 2025-01-07, so the list nearest *before* that date is what the model knows. The
archive's ``danbooru_2024-12-22_pt25-ia-dd.csv`` (every tag with at least 25 posts,
active and deleted aliases) is that list; its threshold-2 sibling is not in the
archive's stored history. We keep category 0 (general) only: characters, series,
artists and meta tags come from tipo-kgen, and shipping them twice would double the
download for little gain.

Usage (from the checkout root)::

    git clone https://github.com/DraconicDragon/dbr-e621-lists-archive /tmp/archive
    python tags/build_danbooru_general.py /tmp/archive            # a work tree
    python tags/build_danbooru_general.py /path/to/bare.git        # or a bare git dir

The output is byte-for-byte reproducible (gzip without a timestamp, input order kept).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import subprocess
import sys
from pathlib import Path

SNAPSHOT = "tag-lists/danbooru/danbooru_2024-12-22_pt25-ia-dd.csv"
OUTPUT = Path(__file__).resolve().parents[1] / "animagine_prompt" / "data" / "danbooru-general-2024-12-22.csv.gz"
GENERAL = "0"
MIN_POSTS = 25  # the snapshot's own threshold: every general tag it has


def read_snapshot(archive: Path) -> str:
    """The snapshot's text from a work tree, or from a bare git directory via ``git show``."""
    path = archive / SNAPSHOT
    if path.is_file():
        return path.read_text(encoding="utf-8")
    shown = subprocess.run(
        ["git", f"--git-dir={archive}", "show", f"HEAD:{SNAPSHOT}"], check=True, capture_output=True
    )
    return shown.stdout.decode("utf-8")


def general_rows(text: str, min_posts: int = MIN_POSTS) -> list[list[str]]:
    """``name,0,count,aliases`` rows of general tags with at least ``min_posts`` posts, in file order."""
    rows = []
    for cells in csv.reader(io.StringIO(text)):
        if len(cells) >= 3 and cells[1] == GENERAL and int(cells[2]) >= min_posts:
            rows.append([cells[0], cells[1], cells[2], cells[3] if len(cells) > 3 else ""])
    return rows


def render(rows: list[list[str]]) -> bytes:
    """Tag Autocomplete's layout; gzip with no timestamp, so a rebuild is byte-identical."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for name, category, count, aliases in rows:
        writer.writerow([name, category, count, aliases])
    return gzip.compress(out.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path, help="dbr-e621-lists-archive work tree or bare git directory")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    rows = general_rows(read_snapshot(args.archive))
    data = render(rows)
    args.output.write_bytes(data)
    print(f"{args.output}: {len(rows)} general tags, {len(data)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
