"""``lookup`` and ``refresh`` subcommands for the project's command line.

The lead's ``animagine_prompt.cli`` calls :func:`register_cli` on its
subparsers; each subcommand sets ``func(args) -> int`` (the exit status).
Running a command is the opt-in: the CLI asks Danbooru even when the WebUI
setting is off. Credentials come from ``DANBOORU_USERNAME`` and
``DANBOORU_API_KEY`` only, never from arguments (which other users can read in
the process list and which end up in shell history).

Exit status: 0 done (every tag found), 1 a tag was not found, 2 bad input,
3 Danbooru could not be asked or the refresh stopped early, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from .config import DanbooruConfig
from .errors import DanbooruError
from .lookup import lookup
from .refresh import refresh

#: Where the WebUI keeps the cache (next to the user's overrides in ``tags/``).
DEFAULT_CACHE = Path(__file__).resolve().parents[2] / "tags" / "danbooru-cache.json"

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

_EPILOG = (
    "For Danbooru's higher limits set DANBOORU_USERNAME and DANBOORU_API_KEY in the environment "
    "(sent only to Danbooru, as HTTP basic auth). "
    "Exit status: 0 done, 1 a tag is not on Danbooru, 2 bad input, 3 Danbooru could not be asked "
    "or the refresh stopped early (run it again to continue)."
)


def register_cli(subparsers: Any) -> None:
    """Add ``lookup`` and ``refresh`` to an ``argparse`` subparsers object."""
    p = subparsers.add_parser(
        "lookup",
        help="ask Danbooru what a tag is (category, alias, series) and remember the answer",
        description="Ask Danbooru about tags and store the answers in the local cache.",
        epilog=_EPILOG,
    )
    p.add_argument("tags", nargs="+", metavar="TAG", help="a tag as you would type it (quote tags with spaces)")
    p.add_argument("--force", action="store_true", help="ask again even when the cache has a recent answer")
    _common(p)
    p.set_defaults(func=_cmd_lookup)

    r = subparsers.add_parser(
        "refresh",
        help="download characters and series that are newer than the bundled tag lists",
        description=(
            "Download Danbooru characters and series with at least --min-posts posts into the local cache. "
            "An interrupted refresh continues where it stopped when run again with the same options."
        ),
        epilog=_EPILOG,
    )
    r.add_argument(
        "--since",
        type=_date,
        metavar="YYYY-MM-DD",
        help="only tags created after this date (default: every tag above --min-posts, which also catches "
        "older tags that grew)",
    )
    r.add_argument("--min-posts", type=_count, metavar="N", help="post-count threshold (default: 100)")
    _common(r)
    r.set_defaults(func=_cmd_refresh)


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry (``python -m animagine_prompt.danbooru``), also used by the tests."""
    parser = argparse.ArgumentParser(prog="animagine-danbooru")
    register_cli(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="cache file (default: %(default)s)")
    p.add_argument("--base-url", default=DanbooruConfig.base_url, help="Danbooru address (https only)")
    p.add_argument("--timeout", type=_seconds, default=DanbooruConfig.timeout_s, help="seconds per request")
    # Seconds between requests; hidden because lowering it is only for a local test server.
    p.add_argument("--min-interval", type=_interval, default=DanbooruConfig.min_interval_s, help=argparse.SUPPRESS)


def _config(args: argparse.Namespace, env: dict[str, str] | None = None) -> DanbooruConfig:
    env = dict(os.environ) if env is None else env
    config = DanbooruConfig(
        enabled=True,
        base_url=args.base_url,
        username=env.get("DANBOORU_USERNAME") or None,
        api_key=env.get("DANBOORU_API_KEY") or None,
        timeout_s=args.timeout,
        min_interval_s=args.min_interval,
    )
    if getattr(args, "min_posts", None) is not None:
        config = replace(config, min_post_count=args.min_posts)
    return config.validated()


def _cmd_lookup(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        config = _config(args)
    except DanbooruError as exc:
        print(f"error: {exc.message}", file=err)
        return EXIT_USAGE
    try:
        results = lookup(config, args.cache, args.tags, force=args.force)
    except KeyboardInterrupt:
        print("Interrupted.", file=err)
        return EXIT_INTERRUPTED
    if not results:
        print("error: give at least one non-empty tag.", file=err)
        return EXIT_USAGE
    for result in results:
        print(result.describe(), file=err if result.message else out)
    if any(r.message for r in results):
        return EXIT_FAILED
    return EXIT_OK if all(r.found for r in results) else EXIT_NOT_FOUND


def _cmd_refresh(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        config = _config(args)
    except DanbooruError as exc:
        print(f"error: {exc.message}", file=err)
        return EXIT_USAGE
    known = _known_names(args.cache)

    def progress(step: int, steps: int, message: str) -> None:
        print(f"[{step}/{steps}] {message}", file=err, flush=True)

    try:
        report = refresh(config, args.cache, args.since, progress, known=known)
    except KeyboardInterrupt:
        print("Interrupted; run the same refresh again to continue where it stopped.", file=err)
        return EXIT_INTERRUPTED
    print(report.summary(), file=out)
    for name, _category in report.added[:50]:
        print(f"  + {name}", file=out)
    if len(report.added) > 50:
        print(f"  … and {len(report.added) - 50} more", file=out)
    return EXIT_OK if report.complete else EXIT_FAILED


def _known_names(cache: Path) -> Callable[[str], bool] | None:
    """What the bundled lists already know, so the report lists only what is really new.

    Built without the Danbooru cache as a source (the cache is what we are
    filling); None when the knowledge base cannot be loaded.
    """
    try:
        from ..tagdb import TagDBConfig, load_tagdb

        db = load_tagdb(TagDBConfig(tags_dir=cache.parent))
    except Exception:  # the report just gets longer; the refresh itself does not depend on it
        return None
    return lambda name: db.lookup(name) is not None


def _date(text: str) -> date:
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-12-31") from None
    if value > date.today():
        raise argparse.ArgumentTypeError(f"{text} is in the future")
    return value


def _number(convert: Callable[[str], float], what: str, ok: Callable[[float], bool], rule: str) -> Callable[[str], Any]:
    """An argparse ``type=`` that converts, then checks, with one clear message for each failure."""

    def parse(text: str) -> Any:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(rule)
        return value

    return parse


_count = _number(int, "a whole number", lambda v: v >= 0, "must be 0 or more")
_interval = _number(float, "a number of seconds", lambda v: v >= 0, "must be 0 or more")
_seconds = _number(float, "a number of seconds", lambda v: 0 < v <= 120, "must be between 0 and 120 seconds")
