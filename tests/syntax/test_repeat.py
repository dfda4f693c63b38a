"""reForge's repeat weights: which items weight everything before them (syntax/repeat.py).

The shapes were read with reForge main's own ``parse_prompt_attention``: ``1BOY, 1BOY, ((:3):x2.5)``
gives ``[['1BOY, 1BOY, ', 1.5]]`` (the empty group's tail weight lands on all text before it),
``a, (b:x2)`` gives ``[['a, bb', 1.0]]`` (a group with text repeats only itself).
"""

from __future__ import annotations

import pytest

from animagine_prompt.syntax.dialect import A1111, PLAIN, REFORGE
from animagine_prompt.syntax.repeat import weights_all_before


@pytest.mark.parametrize(
    "text",
    [
        "((:3):x2.5)",  # the inner weight holds no text either
        "(:x2.5)",
        "(a, (:x2.5))",  # text before the inner group is not inside it
        "[(:x2.5):a:0.5]",  # an empty group at some steps
        "long hair:x2.5)",  # closes a "(" of an earlier item: unseen, so counted
        "([1BOY:0.5]:x2.5)",  # empty until the schedule's step
        "([a|]:x2.5)",  # empty at every other step
    ],
)
def test_an_empty_repeat_group_weights_all_before_it(text):
    assert weights_all_before(text, REFORGE)


@pytest.mark.parametrize(
    "text",
    ["(long hair:x2.5)", "( :x2)", "(\\(:x2)", "(a:2.5)", "(:2.5)", "smile", "x:1", "(((a)):x3)", "[a:b:0.5]"],
)
def test_a_repeat_group_with_text_repeats_only_itself(text):
    assert not weights_all_before(text, REFORGE)


def test_only_reforge_has_repeat_weights():
    assert not weights_all_before("((:3):x2.5)", A1111)
    assert not weights_all_before("((:3):x2.5)", PLAIN)
