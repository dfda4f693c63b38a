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

The snapshot's alias column mixes active and *deleted* aliases, and some deletions were
for a reason: ``text`` -> ``text_focus`` was deleted because text is not text focus. So
each alias is checked against Danbooru's alias table of 2025-04-07 in the same archive
(``raw/danbooru/2025-04-07_05-55/compressed_files/tag_aliases.json_ppmd.7z``; reading it
needs ``pip install py7zr``, or pass the decompressed JSON with ``--aliases``). Kept: aliases
active or retired on 2025-01-07, and deleted ones that are only a spelling variant
(``longhair``, ``breats``: similarity >= 85 once separators are removed). Dropped: the
rest, and ``/lh``-style autocomplete shortcuts, which nobody writes in a prompt.

The output is byte-for-byte reproducible (gzip without a timestamp, input order kept).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SNAPSHOT = "tag-lists/danbooru/danbooru_2024-12-22_pt25-ia-dd.csv"
OUTPUT = Path(__file__).resolve().parents[1] / "animagine_prompt" / "data" / "danbooru-general-2024-12-22.csv.gz"
ALIASES_7Z = "raw/danbooru/2025-04-07_05-55/compressed_files/tag_aliases.json_ppmd.7z"
CUT = "2025-01-07"  # Animagine XL 4.0's Danbooru data cut
SPELLING_VARIANT = 85.0
GENERAL = "0"
MIN_POSTS = 25  # the snapshot's own threshold: every general tag it has


def read_snapshot(archive: Path) -> str:
    """The snapshot's text from a work tree, or from a bare git directory via ``git show``."""
    return read_git_blob(archive, SNAPSHOT).decode("utf-8")


def read_git_blob(archive: Path, path: str) -> bytes:
    """A file of the archive, from a work tree or (``git show``) a bare git directory."""
    if (archive / path).is_file():
        return (archive / path).read_bytes()
    shown = subprocess.run(["git", f"--git-dir={archive}", "show", f"HEAD:{path}"], check=True, capture_output=True)
    return shown.stdout


def read_alias_table(archive: Path, decompressed: Path | None) -> list[dict]:
    """Danbooru's alias records (antecedent, consequent, status, dates)."""
    if decompressed is not None:
        return json.loads(decompressed.read_text(encoding="utf-8"))
    import py7zr  # a build-time tool only; the extension never needs it

    with tempfile.TemporaryDirectory() as tmp:
        packed = Path(tmp) / "aliases.7z"
        packed.write_bytes(read_git_blob(archive, ALIASES_7Z))
        with py7zr.SevenZipFile(packed) as archive_file:
            archive_file.extractall(tmp)
        return json.loads((Path(tmp) / "tag_aliases.json").read_text(encoding="utf-8"))


def alias_ok(antecedent: str, consequent: str, records: list[dict]) -> bool:
    """Whether an alias of the snapshot still meant its tag on the data cut (see the module docstring)."""
    from rapidfuzz import fuzz

    if antecedent.startswith("/"):
        return False
    for record in records:
        created, updated, status = record["created_at"][:10], record["updated_at"][:10], record["status"]
        if created >= CUT:
            continue
        if status in ("active", "retired") or (status == "deleted" and updated >= CUT):
            return True
    squeeze = str.maketrans("", "", "_- ")
    return fuzz.ratio(antecedent.translate(squeeze), consequent.translate(squeeze)) >= SPELLING_VARIANT


def general_rows(text: str, aliases: list[dict], min_posts: int = MIN_POSTS) -> list[list[str]]:
    """``name,0,count,aliases`` rows of general tags with at least ``min_posts`` posts, in file order."""
    by_pair: dict[tuple[str, str], list[dict]] = {}
    for record in aliases:
        by_pair.setdefault((record["antecedent_name"], record["consequent_name"]), []).append(record)
    rows = []
    for cells in csv.reader(io.StringIO(text)):
        if len(cells) >= 3 and cells[1] == GENERAL and int(cells[2]) >= min_posts:
            listed = cells[3].split(",") if len(cells) > 3 and cells[3] else []
            kept = [a for a in listed if alias_ok(a, cells[0], by_pair.get((a, cells[0]), []))]
            rows.append([cells[0], cells[1], cells[2], ",".join(kept)])
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
    parser.add_argument("--aliases", type=Path, help="the decompressed tag_aliases.json (else read with py7zr)")
    args = parser.parse_args(argv)
    rows = general_rows(read_snapshot(args.archive), read_alias_table(args.archive, args.aliases))
    data = render(rows)
    args.output.write_bytes(data)
    print(f"{args.output}: {len(rows)} general tags, {len(data)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
