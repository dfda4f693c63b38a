"""Reading the small hand-edited CSV files (curated tags, user overrides).

They are written by people, so they get people-friendly rules: ``#`` starts a
comment line, blank lines are ignored, an optional header row is skipped, and
a bad line is reported by file and line number instead of stopping the load.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ..categories import Category


class CsvProblem(ValueError):
    """A one-line, user-facing complaint about one line of one file."""


def iter_rows(path: Path, header_first: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, cells)`` for each data row of a hand-written CSV.

    A first row whose first cell equals ``header_first`` is taken as the header.
    Raises ``OSError``/``UnicodeDecodeError`` when the file cannot be read at all.
    """
    text = path.read_text(encoding="utf-8-sig")
    seen_data = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        cells = [cell.strip() for cell in next(csv.reader([line], skipinitialspace=True), [])]
        if not seen_data and cells and cells[0].lower() == header_first:
            seen_data = True
            continue
        seen_data = True
        yield number, cells


def parse_category(text: str, where: str) -> Category:
    """A category cell, with the accepted names in the complaint when it is wrong."""
    try:
        return Category.parse(text)
    except ValueError:
        names = ", ".join(c.value for c in Category)
        raise CsvProblem(f"{where}: unknown category {text!r} (expected one of: {names})") from None
