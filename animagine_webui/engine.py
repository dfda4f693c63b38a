"""The adapter's one door into the engine: presets, the knowledge base, and the format call.

A generation must never fail because of this extension; the engine's ``format_prompt`` is
the one boundary that promises it (any failure gives the input unchanged with ``error`` set),
so the adapter calls it as it is and adds no fallback of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from animagine_prompt import __version__
from animagine_prompt.formatter import format_prompt
from animagine_prompt.memo import is_stale
from animagine_prompt.presets import Preset, PresetError, get_preset, load_presets
from animagine_prompt.result import FormatResult
from animagine_prompt.tagdb_protocol import TagInfo, TagLookup

EXTENSION_ROOT = Path(__file__).resolve().parents[1]
USER_PRESETS_FILE = EXTENSION_ROOT / "tags" / "presets.toml"
LOG_PREFIX = "[Animagine XL]"
VERSION = __version__


def log(message: str) -> None:
    """One console line, always with the same prefix so users can grep for it."""
    print(f"{LOG_PREFIX} {message}", flush=True)


def one_line(text: object, limit: int = 200) -> str:
    """Exceptions can span lines; the infotext and console want one short line."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class EmptyTagLookup:
    """Used when the knowledge base cannot load: formatting still runs, with no tag knowledge."""

    def lookup(self, text: str) -> TagInfo | None:
        return None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        return []


def _build_index_elsewhere() -> None:
    """Open (and, when a source changed, build) the tag index in a child process first.

    Building it reads a million tags into Python objects; done in the WebUI's own process
    that memory stays with the WebUI (measured in a real A1111: +80 MB after the first start
    after an install, against +6.5 MB once the index exists). The child leaves a complete index
    on disk, which the WebUI then only maps. Any failure here just means the WebUI builds it.
    """
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(EXTENSION_ROOT), env.get("PYTHONPATH")]))
    try:
        subprocess.run(
            [sys.executable, "-c", "from animagine_prompt.knowledge import load_knowledge; load_knowledge()"],
            cwd=str(EXTENSION_ROOT),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=600,
            check=False,
        )
    except Exception:  # no subprocess here: the in-process load below builds it
        pass


def _load_default_tagdb() -> TagLookup:
    from animagine_prompt.knowledge import load_knowledge  # late: the first generation pays, not start-up

    _build_index_elsewhere()
    # The plain-name table is left to the first prompt with an unknown word (~65 ms, once):
    # read here, it added ~15 MB to every start whether or not names are ever typed.
    return load_knowledge()


class KnowledgeBase:
    """Loads the tag database once per process, and falls back to an empty table.

    Loading may take seconds (the first start after an install builds the index), so
    nothing loads it while the WebUI starts: :meth:`load_in_background` is called from
    ``on_app_started``, after the host is up, and whoever needs the table first
    (a generation, the tab, the format route) waits for that load or does it itself.
    Tests pass their own ``loader``.
    """

    def __init__(self, loader: Callable[[], TagLookup] = _load_default_tagdb) -> None:
        self._loader = loader
        self._db: TagLookup | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.error: str | None = None

    def get(self) -> TagLookup:
        with self._lock:
            if self._db is not None and is_stale(self._db):
                log("tag files changed on disk (your overrides or the curated lists): reloading the tag database")
                self._db = None
            if self._db is None:
                try:
                    self._db = self._loader()
                except Exception as exc:  # any failure: keep formatting, say so once
                    self.error = one_line(f"{type(exc).__name__}: {exc}")
                    log(f"tag database unavailable ({self.error}); formatting without tag knowledge")
                    self._db = EmptyTagLookup()
            return self._db

    @property
    def ready(self) -> bool:
        """True once a table (or the empty fallback) is loaded; never waits."""
        return self._db is not None

    def load_in_background(self) -> None:
        """Start loading in a daemon thread (once); returns at once."""
        with self._lock:
            if self._db is not None or (self._thread is not None and self._thread.is_alive()):
                return
            self._thread = threading.Thread(target=self.get, name="animagine-tagdb", daemon=True)
            self._thread.start()

    def set_loader(self, loader: Callable[[], TagLookup]) -> None:
        """Swap the loader and forget the loaded table (tests; the tab's "Reload tag database")."""
        with self._lock:
            self._loader = loader
            self._db = None
            self.error = None


KNOWLEDGE_BASE = KnowledgeBase()


class PresetStore:
    """Built-in presets plus ``tags/presets.toml``, re-read only when that file changes."""

    def __init__(self, user_file: Path = USER_PRESETS_FILE) -> None:
        self.user_file = user_file
        self._key: object = None
        self._presets: Mapping[str, Preset] | None = None
        self._lock = threading.Lock()

    def _stamp(self) -> object:
        try:
            stat = self.user_file.stat()
        except OSError:
            return (str(self.user_file), None)
        return (str(self.user_file), stat.st_mtime_ns, stat.st_size)

    def all(self) -> Mapping[str, Preset]:
        with self._lock:
            stamp = self._stamp()
            if self._presets is None or stamp != self._key:
                try:
                    self._presets = load_presets(self.user_file)
                except PresetError as exc:
                    log(f"ignoring {self.user_file.name}: {one_line(exc)}")
                    self._presets = load_presets(None)
                self._key = stamp
            return self._presets

    def names(self) -> list[str]:
        return list(self.all())

    def resolve(self, name: str | None) -> Preset:
        """A preset by any spelling the one preset-name rule accepts (``4.0``, ``Animagine XL 3.1``, ``4``).

        Raises :class:`PresetError` listing the valid names when nothing matches.
        """
        return get_preset(name, self.all())


PRESETS = PresetStore()


def format_for_host(prompt: str, *, negative: str, **kwargs: Any) -> FormatResult:
    """:func:`format_prompt` (never raises), looked up here at call time so tests can put a stand-in
    engine behind the adapter. Generation passes ``lint=False`` (nobody reads warnings there, and it
    is the hot path) and the host's embedding names in ``keep_spelling``."""
    return format_prompt(prompt, negative=negative, **kwargs)


def embedding_names() -> frozenset[str]:
    """Textual-inversion names the host has loaded: never respelled (``bad_prompt_v2`` must keep
    its underscores to be found). Empty when the host does not expose them."""
    for db in _embedding_databases():
        try:
            return frozenset(db.word_embeddings) | frozenset(getattr(db, "skipped_embeddings", ()))
        except Exception:
            continue
    return frozenset()


def _embedding_databases() -> list[object]:
    """A1111 and reForge keep the names on ``sd_hijack.model_hijack.embedding_db``; Forge's
    ``sd_hijack`` is a stub and its Textual Inversion page holds them
    (``modules/ui_extra_networks_textual_inversion.py`` 9-11)."""
    found = []
    try:
        from modules import sd_hijack  # type: ignore[import-not-found]  # the host's; absent outside a WebUI

        found.append(sd_hijack.model_hijack.embedding_db)
    except Exception:
        pass
    try:
        import sys

        page = sys.modules.get("modules.ui_extra_networks_textual_inversion")  # only where the host loaded it
        if page is not None:
            found.append(page.embedding_db)
    except Exception:
        pass
    return found
