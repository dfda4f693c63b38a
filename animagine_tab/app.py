"""The standalone Animagine tab: the WebUI's tab in its own gradio server.

``python -m animagine_tab [--port 7870] [--host 127.0.0.1]`` (the CLI
dispatches to :func:`main`). Same layout as inside the WebUI, built from a
context without "Send to" buttons and without a tokenizer, so token counts are
labelled as estimates. Needs the ``ui`` extra (gradio); nothing else here does.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from animagine_prompt.categories import Category
from animagine_prompt.presets import load_presets
from animagine_prompt.tagdb_protocol import TagInfo

log = logging.getLogger(__name__)

DEFAULT_PORT = 7870
STYLE_FILE = Path(__file__).resolve().parents[1] / "style.css"


@dataclass(frozen=True)
class UnavailableTagDB:
    """Stands in when the tag database cannot be built, so the app still starts and says why.

    Formatting then knows only the tags the engine recognises by syntax
    (people counts, ratings, quality tags); the database panel shows ``reason``.
    """

    reason: str
    sources: tuple[Any, ...] = field(default=())

    def lookup(self, text: str) -> TagInfo | None:
        return None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        return []

    def complete(self, prefix: str, categories: Sequence[Category] | None = None, limit: int = 10) -> list[str]:
        return []

    def series_for_character(self, name: str) -> None:
        return None


def tagdb_loader(tags_dir: Path | None = None, index_dir: Path | None = None) -> Any:
    """A zero-argument loader of the knowledge base (the same one as the CLI and WebUI), for ``TabContext.load_db``."""

    def load() -> Any:
        try:
            from animagine_prompt.knowledge import load_knowledge

            return load_knowledge(tags_dir, index_dir=index_dir)
        except Exception as exc:  # the app must start even without tag data
            log.warning("tag database unavailable: %s", exc)
            from animagine_prompt.tagdb.sources import SourceInfo

            problem = f"{type(exc).__name__}: {exc}"
            return UnavailableTagDB(problem, (SourceInfo("tag database", "error", None, 0, False, problem),))

    return load


def make_context(tags_dir: Path | None = None, index_dir: Path | None = None) -> Any:
    """The standalone app's TabContext: repo ``tags/`` (user overrides, user presets), no send buttons."""
    from animagine_prompt.tagdb.config import TagDBConfig, resolve
    from animagine_tab import TabContext

    paths = resolve(TagDBConfig(tags_dir=tags_dir, index_dir=index_dir))
    css = STYLE_FILE.read_text(encoding="utf-8") if STYLE_FILE.exists() else ""
    return TabContext(
        load_db=tagdb_loader(tags_dir, index_dir),
        presets=load_presets(paths.tags_dir / "presets.toml"),
        overrides_file=paths.user_file,
        css=css,
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m animagine_tab", description="Run the Animagine tab standalone.")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--tags-dir", type=Path, default=None, help="tag folder with user.csv (default: repo tags/)")
    parser.add_argument("--index-dir", type=Path, default=None, help="where the tag index is cached")
    return parser.parse_args(argv)


def serve(ctx: Any, host: str, port: int, *, block: bool = True) -> Any:
    """Build the tab over ``ctx`` and start serving it; returns the running ``gr.Blocks``."""
    from animagine_tab import build_tab

    blocks = build_tab(ctx)
    blocks.queue()
    blocks.launch(server_name=host, server_port=port, prevent_thread_lock=not block, show_api=False, quiet=not block)
    return blocks


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m animagine_tab``; blocks until interrupted."""
    args = parse_args(argv)
    try:
        import gradio  # noqa: F401
    except ImportError:
        print("The app needs gradio: pip install 'sd-webui-animagine[ui]' (or ./dev.sh app).")
        return 2
    print(f"Animagine tab on http://{args.host}:{args.port}")
    serve(make_context(args.tags_dir, args.index_dir), args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
