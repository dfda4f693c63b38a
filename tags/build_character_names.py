"""Rebuild the bundled plain-name table (``makima`` -> ``makima (chainsaw man)``) from the archive.

Why: people type the name they know, not Danbooru's tag. ``makima``, ``miku`` and
``Luffy`` are no tags; the model learned ``makima (chainsaw man)``, ``hatsune miku`` and
``monkey d. luffy``. The table maps such a name to the character tags it may mean,
with their post counts, so the engine can rewrite it when one character clearly
dominates and warn with the candidates when not (the rule is the engine's:
``animagine_prompt/tagdb/names.py``). Data: the same 2024-12-22 Danbooru snapshot as
the bundled general tags (``build_danbooru_general.py``).

A character's names (category 4, every character of the snapshot, >= 25 posts):

- its tag without its qualifiers: ``makima (chainsaw man)`` -> ``makima``;
- its Danbooru aliases that were in force at the data cut (active, or retired or deleted
  later; a deleted spelling variant does not count here, unlike for general tags: ``loid``
  was such an alias of ``lloyd (mother)``, and is Loid Forger's name): ``toosaka rin`` ->
  ``tohsaka rin``, ``saber`` -> ``saber (fate)``;
- for characters with >= ``TOKEN_POSTS`` posts whose name has two or more words, each
  word of three or more letters: ``miku`` -> ``hatsune miku``, ``luffy`` -> ``monkey d. luffy``.

A name is left out when it is another tag or another tag's alias in the snapshot (any
category: the user may mean that tag), when it is shorter than three characters, when it
is a word of a general or meta tag with more than a quarter of the character's posts
(``aqua`` is ``aqua hair`` far more than ``aqua (konosuba)``; cosplay tags do not count,
they are the character's own name), or, unless it is one of the character's aliases, when
it is a lowercase English word (``hero``, ``goddess``, ``captain``: Debian's ``wamerican``
word list, 2020.12.07-2). Each name keeps its ``KEEP`` most-posted candidates.

Usage (from the checkout root; needs ``pip install py7zr rapidfuzz`` and ``apt install wamerican``)::

    python tags/build_character_names.py /path/to/dbr-e621-lists-archive   # work tree or bare git dir

Output: ``name,character,posts`` rows (a name's candidates most-posted first), gzip
without a timestamp, byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
from collections import defaultdict
from pathlib import Path

from build_danbooru_general import CUT, read_alias_table, read_snapshot

DATA = Path(__file__).resolve().parents[1] / "animagine_prompt" / "data"
OUTPUT = DATA / "danbooru-character-names-2024-12-22.csv.gz"
CHARACTER = "4"
WORD_CATEGORIES = ("0", "5")  # general, meta
TOKEN_POSTS = 300
KEEP = 3
MIN_LENGTH = 3
WORD_SHARE = 4  # a word of an ordinary tag must have under 1/4 of the character's posts
WORDS = Path("/usr/share/dict/american-english")
_QUALIFIER = re.compile(r"\s*\([^()]*\)$")
_WORD = re.compile(r"[a-z][a-z'\-]*")


def key(tag: str) -> str:
    return tag.replace("_", " ").lower()


def bare(name: str) -> str:
    while True:
        shorter = _QUALIFIER.sub("", name)
        if shorter == name:
            return name
        name = shorter


def in_force(records: list[dict]) -> bool:
    """Whether one of an alias's records was in force on the data cut."""
    for record in records:
        created, updated, status = record["created_at"][:10], record["updated_at"][:10], record["status"]
        if created < CUT and (status in ("active", "retired") or (status == "deleted" and updated >= CUT)):
            return True
    return False


def names_of(tag: str, posts: int, english: frozenset[str]) -> set[str]:
    """The bare name and name words of a character (its aliases are added by the caller)."""
    name = key(tag)
    stem = bare(name)
    found = {stem} if stem != name else set()
    words = stem.split()
    if posts >= TOKEN_POSTS and len(words) >= 2:
        found.update(w for w in words if len(w) >= MIN_LENGTH and _WORD.fullmatch(w))
    found.discard(name)
    return found - english


def name_rows(text: str, alias_records: list[dict], english: frozenset[str]) -> list[tuple[str, str, int]]:
    by_pair: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for record in alias_records:
        by_pair[(record["antecedent_name"], record["consequent_name"])].append(record)
    rows = [cells for cells in csv.reader(io.StringIO(text)) if len(cells) >= 3 and cells[2].isdigit()]
    taken: dict[str, str] = {}  # every tag and alias of the snapshot -> its tag: the user may mean that one
    word_posts: dict[str, int] = defaultdict(int)
    for cells in rows:
        taken[key(cells[0])] = key(cells[0])
        for alias in cells[3].split(",") if len(cells) > 3 and cells[3] else []:
            if in_force(by_pair.get((alias, cells[0]), [])):
                taken.setdefault(key(alias), key(cells[0]))
        if cells[1] in WORD_CATEGORIES and "(cosplay)" not in cells[0]:
            for word in set(re.split(r"[\s()]+", key(cells[0]))):
                word_posts[word] = max(word_posts[word], int(cells[2]))
    candidates: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for cells in rows:
        if cells[1] != CHARACTER:
            continue
        posts = int(cells[2])
        listed = cells[3].split(",") if len(cells) > 3 and cells[3] else []
        aliases = {key(a) for a in listed if not a.startswith("/") and in_force(by_pair.get((a, cells[0]), []))}
        for name in names_of(cells[0], posts, english) | aliases:
            if len(name) < MIN_LENGTH or taken.get(name, key(cells[0])) != key(cells[0]):
                continue  # another tag, or another tag's alias
            if word_posts.get(name, 0) * WORD_SHARE > posts:
                continue
            candidates[name].append((posts, key(cells[0])))
    out = []
    for name in sorted(candidates):
        for posts, character in sorted(candidates[name], key=lambda c: (-c[0], c[1]))[:KEEP]:
            out.append((name, character, posts))
    return out


def render(rows: list[tuple[str, str, int]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "character", "posts"])
    writer.writerows(rows)
    return gzip.compress(buffer.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path, help="dbr-e621-lists-archive work tree or bare git directory")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--aliases", type=Path, help="the decompressed tag_aliases.json (else read with py7zr)")
    parser.add_argument("--words", type=Path, default=WORDS, help=f"an English word list (default {WORDS})")
    args = parser.parse_args(argv)
    if not args.words.is_file():
        parser.error(f"{args.words} not found: install Debian's wamerican (apt install wamerican) or pass --words")
    lines = args.words.read_text(encoding="utf-8").splitlines()
    english = frozenset(w for w in lines if w.isascii() and w.isalpha() and w.islower())
    rows = name_rows(read_snapshot(args.archive), read_alias_table(args.archive, args.aliases), english)
    data = render(rows)
    args.output.write_bytes(data)
    names = len({name for name, _, _ in rows})
    print(f"{args.output}: {names} names, {len(rows)} rows, {len(data)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
