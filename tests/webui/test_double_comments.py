"""The host double's comment stripping, on the cases its docstring describes (outputs read off the real
A1111 1.10.1 function)."""

from __future__ import annotations

import pytest
from modules.processing_scripts.comments import strip_comments


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("a, b", "a, b"),
        ("a\n#c\nb", "a\nb"),
        ("#c\nb", "\nb"),
        ("a\n#c", "a\n"),
        ("#c", "\n"),
        ("a\n#c\n#d\nb", "a\n\nb"),
        ("a #c\nb", "a \nb"),
        ("a #c", "a \n"),
    ],
)
def test_strip_comments(text, stripped):
    assert strip_comments(text) == stripped
