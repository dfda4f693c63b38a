"""``python -m animagine_prompt``: the formatter for scripts and other front ends (tab: ``python -m animagine_tab``).

The default output is everything a person needs to generate: the prompt, the
negative prompt and the settings, written the way the WebUI writes an infotext
(so it can be pasted into the WebUI's prompt box and read back with its paste
button). ``--prompt-only`` prints the prompt alone for shell scripts, ``--json``
everything for programs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .options import RATINGS, FormatOptions, Placement
from .presets import DEFAULT_PRESET, PresetError, get_preset, load_presets
from .result import FormatResult
from .syntax.dialect import A1111, DIALECTS

#: What a shell reports for a program stopped by SIGPIPE (``seq 1 100000 | head -1`` under pipefail).
EXIT_BROKEN_PIPE = 141


def _read_prompt(arg: str | None) -> str:
    if arg is None or arg == "-":
        return sys.stdin.read().rstrip("\n")
    return arg


def _cmd_format(args: argparse.Namespace) -> int:
    from .formatter import format_prompt
    from .knowledge import load_knowledge

    try:
        presets = load_presets(Path(args.presets) if args.presets else None)
        preset = get_preset(args.preset, presets)
    except PresetError as exc:
        print(f"animagine: {exc}", file=sys.stderr)
        return 2
    if (args.width is None) != (args.height is None):
        print("animagine: give both --width and --height, or neither", file=sys.stderr)
        return 2
    db = load_knowledge()
    for message in db.messages:
        print(f"animagine: {message}", file=sys.stderr)
    options = FormatOptions(
        replace_underscores=not args.keep_underscores,
        placement=Placement(args.placement),
        add_series=not args.no_series,
        plain_names=not args.keep_names,
        rating=args.rating,
        append_quality=not args.no_quality,
        inject_negative=not args.no_negative,
        dialect=args.dialect,
    )
    result = format_prompt(
        _read_prompt(args.prompt),
        db=db,
        preset=preset,
        options=options,
        negative=args.negative,
        width=args.width,
        height=args.height,
        cfg_scale=args.cfg_scale,
        steps=args.steps,
    )
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(result.prompt if args.prompt_only else as_infotext(result))
    for w in result.warnings:
        print(f"{w.level}: {w.message}", file=sys.stderr)
    return 0


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def as_infotext(result: FormatResult) -> str:
    """Prompt, ``Negative prompt:`` and one settings line, in the host's infotext order and spelling."""
    s = result.settings
    settings = (
        f"Steps: {s.steps}, Sampler: {s.sampler_name}, Schedule type: {s.scheduler}, "
        f"CFG scale: {_number(s.cfg_scale)}, Size: {s.width}x{s.height}"
    )
    return f"{result.prompt}\nNegative prompt: {result.negative_prompt}\n{settings}"


def _cmd_lookup(args: argparse.Namespace) -> int:
    """One line per tag: canonical spelling, category and source; exit 1 when any is unknown."""
    from .knowledge import load_knowledge

    db = load_knowledge()
    for message in db.messages:
        print(f"animagine: {message}", file=sys.stderr)
    found: list[dict[str, object]] = []
    for text in args.tags:
        info = db.lookup(text)
        if info is None:
            found.append({"input": text, "name": None, "suggestions": db.suggest(text, 3)})
        else:
            found.append({"input": text, "name": info.name, "category": info.category.value, "source": info.source})
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        for row in found:
            if row["name"] is None:
                hint = ", ".join(row["suggestions"])  # type: ignore[arg-type]
                print(f"{row['input']}\tunknown" + (f"\tdid you mean: {hint}" if hint else ""))
            else:
                print(f"{row['input']}\t{row['name']}\t{row['category']}\t{row['source']}")
    return 0 if all(row["name"] is not None for row in found) else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m animagine_prompt", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    fmt = sub.add_parser("format", help="print a prompt in Animagine XL order")
    fmt.add_argument("prompt", nargs="?", help="the prompt; '-' or nothing reads standard input")
    shape = fmt.add_mutually_exclusive_group()
    shape.add_argument(
        "--json", action="store_true", help="print one JSON object with prompt, negative, settings, tags"
    )
    shape.add_argument("--prompt-only", action="store_true", help="print only the formatted prompt (for scripts)")
    fmt.add_argument("--preset", default=DEFAULT_PRESET, help=f"model preset (default {DEFAULT_PRESET})")
    fmt.add_argument("--presets", help="a TOML file of extra or changed presets")
    fmt.add_argument("--negative", default="", help="your negative prompt, merged with the preset's")
    fmt.add_argument("--width", type=int)
    fmt.add_argument("--height", type=int)
    fmt.add_argument("--cfg-scale", type=float)
    fmt.add_argument("--steps", type=int)
    fmt.add_argument("--rating", choices=RATINGS, help="insert this rating when the prompt has none")
    fmt.add_argument(
        "--placement",
        choices=[p.value for p in Placement],
        default=Placement.GENERAL.value,
        help="where artist, year and meta tags go",
    )
    fmt.add_argument(
        "--dialect",
        choices=list(DIALECTS),
        default=A1111.name,
        help="which WebUI reads the prompt, for what is a comment: a1111 (#), reforge (#, //, /* */), "
        "plain (A1111 with Enable comments off); default a1111",
    )
    fmt.add_argument("--keep-underscores", action="store_true")
    fmt.add_argument("--no-series", action="store_true", help="do not add a character's series")
    fmt.add_argument("--keep-names", action="store_true", help="keep plain names (makima) instead of their tags")
    fmt.add_argument("--no-quality", action="store_true", help="do not append the quality suffix")
    fmt.add_argument("--no-negative", action="store_true", help="do not merge the preset's negative prompt")
    fmt.set_defaults(func=_cmd_format)

    look = sub.add_parser("lookup", help="what the tag database knows about tags as typed")
    look.add_argument("tags", nargs="+", help="tags, any spelling (long_hair, Long Hair, longhair)")
    look.add_argument("--json", action="store_true", help="print a JSON list instead of tab-separated lines")
    look.set_defaults(func=_cmd_lookup)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
    except BrokenPipeError:
        # The reader (``| head -1``) has all it wanted: stop quietly, as a C tool would on SIGPIPE.
        # Point stdout at devnull so the interpreter's final flush cannot complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code
