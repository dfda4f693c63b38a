"""How a tag as typed becomes a lookup key, and how it is spelled when shown.

Every layer (the parser, the knowledge base, the Danbooru helper's cache) must
agree on one key for ``Hatsune_Miku``, ``hatsune miku`` and ``hatsune  miku``,
or the same tag would be found by one layer and missed by the next. So there is
exactly one function for it, :func:`normalize_key`, and it is pure.
"""

from __future__ import annotations

import re

# Danbooru's emoticon tags whose underscore is part of the face, not a word gap.
# (Any other tag with an underscore and no run of two letters is treated alike.)
KNOWN_EMOTICONS = frozenset(
    {
        "^_^",
        ">_<",
        "o_o",
        "0_0",
        "@_@",
        "+_+",
        "=_=",
        "u_u",
        "x_x",
        "|_|",
        ";_;",
        "t_t",
        "._.",
        ">_o",
        "-_-",
        "+_-",
        "3_3",
        "6_9",
        "(o)_(o)",
        "<o>_<o>",
        "<|>_<|>",
        "||_||",
        "o_0",
        "0_o",
        "^_^;",
        "-_-;",
        ">_@",
        "@_@;",
        "=_=;",
        "._.;",
    }
)

_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
# Other models' vocabulary (Pony Diffusion's score, source and rating tags): written with
# underscores in their training captions, so the underscore is part of the word there.
_FOREIGN_VOCAB = re.compile(
    r"(score_[1-9](_up)?|source_(anime|furry|pony|cartoon)|rating_(safe|questionable|explicit))"
)
_QUALIFIER = re.compile(r"\(([^()]*)\)\s*$")


_ESCAPES = re.compile(r"\\+(?=[()])")


def normalize_key(text: str) -> str:
    """The lookup key for a tag as a user types it.

    Lowercase, ``\\(``/``\\)`` unescaped to bare parentheses, underscores read as
    spaces, runs of whitespace collapsed, ends stripped. Emoticons lose their
    underscore here too (``^_^`` -> ``^ ^``): the key only has to be unique, the
    canonical spelling (:func:`canonical_name`) keeps the face intact.
    """
    if "\\" in text:
        # Every backslash before a parenthesis goes: "\\)" must not leave "\)" behind,
        # or normalising a key twice would change it again.
        text = _ESCAPES.sub("", text)
    return " ".join(text.replace("_", " ").lower().split())


def is_emoticon(tag: str) -> bool:
    """True for face tags such as ``^_^`` or ``t_t`` whose underscore must stay.

    Danbooru words always contain two letters in a row; faces never do, which
    catches faces missing from :data:`KNOWN_EMOTICONS` without a list to maintain.
    """
    tag = tag.strip().lower()
    if tag in KNOWN_EMOTICONS:
        return True
    return "_" in tag and len(tag) <= 9 and _TWO_LETTERS.search(tag) is None


def is_foreign_vocab(tag: str) -> bool:
    """True for another model's underscore tags (``score_9``, ``source_anime``, ``rating_safe``)."""
    return _FOREIGN_VOCAB.fullmatch(tag.strip().lower()) is not None


def canonical_name(tag: str) -> str:
    """Danbooru's spelling for display: lowercase, spaces, bare parentheses, faces and other
    models' underscore vocabulary intact."""
    text = tag.strip()
    if "\\" in text:
        text = text.replace("\\(", "(").replace("\\)", ")")
    if not is_emoticon(text) and not is_foreign_vocab(text):
        text = text.replace("_", " ")
    return " ".join(text.lower().split())


def qualifiers(key: str) -> list[str]:
    """The parenthesised qualifiers at the end of a tag, last first.

    ``hoshimachi suisei (old design) (dress-up ver.)`` -> ``["dress-up ver.", "old design"]``.
    """
    found: list[str] = []
    rest = key
    while True:
        match = _QUALIFIER.search(rest)
        if match is None or match.start() == 0:
            return found
        found.append(match.group(1).strip())
        rest = rest[: match.start()]
