"""The shared key function: pure, and blind to the spelling differences users make."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from animagine_prompt.tagdb import canonical_name, is_emoticon, normalize_key
from animagine_prompt.tagdb.keys import qualifiers


def test_spellings_of_one_tag_share_a_key() -> None:
    spellings = [
        "hoshimachi suisei (1st costume)",
        "Hoshimachi_Suisei_(1st_costume)",
        "hoshimachi suisei \\(1st costume\\)",
        "  hoshimachi  suisei (1st costume)\t",
    ]
    assert {normalize_key(s) for s in spellings} == {"hoshimachi suisei (1st costume)"}


@given(st.text())
def test_normalize_key_is_idempotent(text: str) -> None:
    key = normalize_key(text)
    assert normalize_key(key) == key
    assert key == key.strip() and "_" not in key and "  " not in key


def test_canonical_name_keeps_faces_and_bares_parentheses() -> None:
    assert canonical_name("^_^") == "^_^"
    assert canonical_name(">_<") == ">_<"
    assert canonical_name("long_hair") == "long hair"
    assert canonical_name("Makima_\\(Chainsaw_Man\\)") == "makima (chainsaw man)"


def test_emoticon_rule() -> None:
    assert all(is_emoticon(face) for face in ["^_^", "t_t", "u_u", "x_x", ";_;", "(o)_(o)", "o_0"])
    assert not any(is_emoticon(tag) for tag in ["long_hair", "no_humans", "6+girls", "smile"])


def test_qualifiers_are_read_right_to_left() -> None:
    assert qualifiers("hoshimachi suisei (old design) (dress-up ver.)") == ["dress-up ver.", "old design"]
    assert qualifiers("makima (chainsaw man)") == ["chainsaw man"]
    assert qualifiers("hatsune miku") == []
    assert qualifiers("(o) (o)") == ["o"]
