"""The host model in ``tests/support/hostsem.py`` against the hosts' documented behaviour.

The expected values are the input/output pairs the hosts document in the doctests
of ``modules/prompt_parser.py`` (A1111 1.10.1, reForge main) plus a few facts
about ``AND``, ``BREAK``, extra networks and comments checked on the hosts. If
these pass, the property tests' notion of "same meaning" is the host's.
"""

from __future__ import annotations

import pytest
from support import hostsem
from support.hostsem import A1111, REFORGE, HostError, attention, schedule, split_and, strip_extra_networks


def _alternating(a: str, b: str, steps: int = 10) -> list[tuple[int, str]]:
    return [(s, a if s % 2 else b) for s in range(1, steps + 1)]


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("test", [(10, "test")]),
        ("a [b:3]", [(3, "a "), (10, "a b")]),
        ("a [b: 3]", [(3, "a "), (10, "a b")]),
        ("a [[[b]]:2]", [(2, "a "), (10, "a [[b]]")]),
        ("[(a:2):3]", [(3, ""), (10, "(a:2)")]),
        ("a [b : c : 1] d", [(1, "a b  d"), (10, "a  c  d")]),
        ("a[b:[c:d:2]:1]e", [(1, "abe"), (2, "ace"), (10, "ade")]),
        ("a [unbalanced", [(10, "a [unbalanced")]),
        ("a [b:.5] c", [(5, "a  c"), (10, "a b c")]),
        # The host's doctest lists [(5, "a  c"), (10, "a {b|d{ c")] and is marked "not handling this
        # right now": the host itself fails it. Its real output (checked on 1.10.1) is unscheduled,
        # because the `|` is outside any alternation.
        ("a [{b|d{:.5] c", [(10, "a [{b|d{:.5] c")]),
        ("((a][:b:c [d:3]", [(3, "((a][:b:c "), (10, "((a][:b:c d")]),
        ("[a|(b:1.1)]", _alternating("a", "(b:1.1)")),
        ("[fe|]male", _alternating("female", "male")),
        ("[fe|||]male", [(s, "female" if s % 4 == 1 else "male") for s in range(1, 11)]),
    ],
)
def test_schedule_matches_host_doctests(prompt, expected):
    assert schedule(prompt, 10) == expected


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("a [b:.5] c", [(10, "a b c")]),  # a fraction below 1 is over before the hires pass starts
        ("a [b:1.5] c", [(5, "a  c"), (10, "a b c")]),  # above 1: halfway through the hires pass
    ],
)
def test_hires_schedule_matches_host_doctests(prompt, expected):
    assert schedule(prompt, 10, hires_steps=10) == expected


@pytest.mark.parametrize(
    "prompt",
    [
        "a|b, [c:d:5]",  # a `|` outside an alternation: the host cannot parse it and schedules nothing
        "{red|blue} eyes, [c:d:5]",  # dynamic-prompts braces are not host syntax
        "[c:d:5] trailing backslash\\",
    ],
)
def test_unparseable_prompt_is_used_unscheduled(prompt):
    assert schedule(prompt, 28) == [(28, prompt)]


@pytest.mark.parametrize(
    "prompt",
    ["x [a:3]:", "[a:0.5]:x", "[a:0.5])", "[a:0.5](", "[[a:0.5]:x]", "[b|c]:", "([a:b:0.5]):x", "((x, [y:0.5]:1.2)):x"],
)
def test_a_stray_bracket_right_after_a_schedule_has_no_fixed_reading(prompt):
    # A1111's lark finds two readings of these strings and picks one by hash seed (PYTHONHASHSEED):
    # checked on A1111 1.10.1 with seeds 0-7, scheduled under some, not others.
    with pytest.raises(hostsem.HostAmbiguous):
        schedule(prompt, 10, dialect=A1111)


@pytest.mark.parametrize(
    "prompt",
    ["x:[a:0.5]", "([a:0.5]", "[a:0.5] x) y", "[b|c] :", "(x:1.2) [a:0.5]", "[a:0.5] (b):c", "(b):c [a:b:0.5]"],
)
def test_a_stray_bracket_elsewhere_leaves_the_schedule_fixed(prompt):
    # the same seeds give one reading for these on both hosts
    assert len(schedule(prompt, 28, dialect=A1111)) > 1


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("normal text", [("normal text", 1.0)]),
        ("an (important) word", [("an ", 1.0), ("important", 1.1), (" word", 1.0)]),
        ("(unbalanced", [("unbalanced", 1.1)]),
        ("\\(literal\\]", [("(literal]", 1.0)]),
        ("(unnecessary)(parens)", [("unnecessaryparens", 1.1)]),
        (
            "a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).",
            [
                ("a ", 1.0),
                ("house", 1.5730000000000004),
                (" ", 1.1),
                ("on", 1.0),
                (" a ", 1.1),
                ("hill", 0.55),
                (", sun, ", 1.1),
                ("sky", 1.4641000000000006),
                (".", 1.1),
            ],
        ),
        ("a BREAK b", [("a", 1.0), ("BREAK", -1.0), ("b", 1.0)]),
        ("(a BREAK b)", [("a", 1.1), ("BREAK", -1.1), ("b", 1.1)]),  # not a chunk break any more
        ("aBREAK b", [("aBREAK b", 1.0)]),
        ("a:1.2) b", [("a:1.2) b", 1.0)]),  # a weight with no "(" open is text
        ("", [("", 1.0)]),
    ],
)
def test_attention_matches_host_doctests(prompt, expected):
    got = attention(prompt, A1111)
    assert [t for t, _ in got] == [t for t, _ in expected]
    assert [w for _, w in got] == pytest.approx([w for _, w in expected])


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "(hello world, a poem, :x3.2)",
            [("hello world, a poem, hello world, a poem, ", 1.0), ("hello world, a poem, ", 1.2)],
        ),
        ("(hello world, a poem, :x2.5)", [("hello world, a poem, ", 1.0), ("hello world, a poem, ", 1.5)]),
        ("(hello world, a poem, :x1.4)", [("hello world, a poem, ", 1.4)]),
        ("(hello world, a poem, :x0.8)", [("hello world, a poem, ", 0.8)]),
    ],
)
def test_reforge_repeat_weight_matches_its_doctests(prompt, expected):
    got = attention(prompt, REFORGE)
    assert [t for t, _ in got] == [t for t, _ in expected]
    assert [w for _, w in got] == pytest.approx([w for _, w in expected])


def test_a1111_reads_repeat_weight_as_text():
    assert attention("(a:x2.5)", A1111) == [("a:x2.5", pytest.approx(1.1))]


@pytest.mark.parametrize("prompt", ["(a:1.2.3)", "(a:.)", "[a:1e999]"])
def test_prompts_the_host_crashes_on_raise_host_error(prompt):
    with pytest.raises(HostError):
        hostsem.host_view(prompt)


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("a AND b:0.5", [("a", 1.0), (" b", 0.5)]),
        ("(a AND b)", [("(a", 1.0), (" b)", 1.0)]),  # AND splits at any bracket depth
        ("x, y:1.2", [("x, y", 1.2)]),  # a trailing weight counts even without AND
        ("a AND  b : 2 ", [("a", 1.0), ("  b", 2.0)]),
        ("a ANDb", [("a ANDb", 1.0)]),
        ("a AND", [("a", 1.0), ("", 1.0)]),
    ],
)
def test_and_split_matches_host(prompt, expected):
    assert split_and(prompt) == expected


def test_extra_networks_are_stripped_and_collected():
    text, nets = strip_extra_networks("a, <lora:add_detail:0.8>, b <hypernet:x:1><lora:my_lora> <my_lora>")
    assert text == "a, , b  <my_lora>"
    assert nets == (("lora", ("add_detail", "0.8")), ("hypernet", ("x", "1")), ("lora", ("my_lora",)))


@pytest.mark.parametrize(
    ("prompt", "a1111", "reforge"),
    [
        ("a, # note, b\nc", "a, \nc", "a, \nc"),
        ("a // b\nc", "a // b\nc", "a \nc"),
        ("/* x */\nc", "/* x */\nc", "\nc"),
    ],
)
def test_comments(prompt, a1111, reforge):
    assert hostsem.strip_comments(prompt, A1111) == a1111
    assert hostsem.strip_comments(prompt, REFORGE) == reforge


def test_host_view_runs_every_stage():
    view = hostsem.host_view("<lora:x:1>(a:1.2) BREAK [b|c] AND d:0.5 # gone", 2)
    assert view.networks == (("lora", ("x", "1")),)
    assert view.parts[1][0] == 0.5
    step1, step2 = view.parts[0][1]
    # the empty fragment is the host's: the space before BREAK, stripped to nothing
    assert step1 == (1, (("a", 1.2), ("", 1.0), ("BREAK", -1.0), ("b", 1.0)))
    assert step2 == (2, (("a", 1.2), ("", 1.0), ("BREAK", -1.0), ("c", 1.0)))
