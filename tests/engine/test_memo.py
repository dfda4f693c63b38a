"""The engine's memos are keyed by content: they never keep a knowledge base alive."""

from __future__ import annotations

import gc
import weakref

from support.tagtable import ALIASES, TAGS, MemoryTagDB

from animagine_prompt.formatter import format_prompt
from animagine_prompt.presets import get_preset

PRESET = get_preset("animagine-xl-4.0")


def test_a_dropped_knowledge_base_is_freed_after_formatting_with_it():
    # The WebUI's "Reload tag database" replaces the table; the old one (hundreds of MB with its
    # index maps) must go, not live on as a key inside a memo.
    db = MemoryTagDB(TAGS, ALIASES)
    format_prompt("smile, 1girl, long_hair", db=db, preset=PRESET)
    format_prompt("1girl, (smile:1.2), lowres", db=db, preset=PRESET, negative="lowres")
    ref = weakref.ref(db)
    del db
    gc.collect()
    assert ref() is None


def test_an_equal_table_answers_from_the_memo():
    first, second = MemoryTagDB(TAGS, ALIASES), MemoryTagDB(TAGS, ALIASES)
    assert first.revision == second.revision
    a = format_prompt("smile, 1girl, hatsune_miku", db=first, preset=PRESET)
    assert format_prompt("smile, 1girl, hatsune_miku", db=second, preset=PRESET) is a
