"""Look up unknown tags on a worker thread, so whoever noticed them never waits.

The formatter (or the WebUI adapter) can hand every unknown tag to
:meth:`BackgroundLookup.submit`, which only puts names on a bounded queue and
returns; the worker batches them, asks Danbooru at the client's polite pace,
and writes the answers to the cache, where :class:`DanbooruCacheSource` picks
them up for later generations. When Danbooru is unreachable or limiting us,
the worker drops what it holds and pauses instead of retrying in a loop.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .cache import CacheStore, utc_now
from .client import DanbooruClient
from .config import DanbooruConfig
from .errors import DanbooruError
from .lookup import LookupResult, lookup
from .names import to_danbooru

log = logging.getLogger(__name__)

_STOP = object()

#: Longer items are prose, not tags: they stay on this machine.
MAX_TAG_CHARS = 80
MAX_TAG_WORDS = 8


def looks_like_tag(key: str) -> bool:
    """Whether a prompt item could be a Danbooru tag at all.

    Background lookups send unknown prompt items without the user pressing
    anything, so sentences and other free text are never sent.
    """
    return 0 < len(key) <= MAX_TAG_CHARS and key.count("_") < MAX_TAG_WORDS


class BackgroundLookup:
    """A daemon worker that resolves submitted tags into the cache.

    ``on_result`` is called on the worker thread with each batch's results
    (e.g. to reload a :class:`DanbooruCacheSource` or refresh the tab).
    ``pause_s`` is how long the worker rests after a network failure.
    """

    def __init__(
        self,
        config: DanbooruConfig,
        cache_path: Path,
        *,
        on_result: Callable[[list[LookupResult]], None] | None = None,
        max_queue: int = 512,
        batch: int = 50,
        pause_s: float = 60.0,
        client_factory: Callable[[DanbooruConfig], DanbooruClient] = DanbooruClient,
        now: Callable[[], float] = utc_now,
    ) -> None:
        self.config = config
        self._store = CacheStore(cache_path, now=now)
        self._on_result = on_result
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max_queue)
        self._batch = batch
        self._pause_s = pause_s
        self._client_factory = client_factory
        self._now = now
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._stopping = threading.Event()
        self.last_message: str | None = None

    def submit(self, tags: Iterable[str]) -> int:
        """Queue tags for lookup and return how many were queued; never blocks, never raises.

        Does nothing when Danbooru lookups are off. Items that cannot be tags
        (:func:`looks_like_tag`) are skipped. Tags already waiting are not
        queued twice; when the queue is full the rest are dropped (they will
        come again with the next prompt that uses them).
        """
        if not self.config.enabled or self._closed:
            return 0
        queued = 0
        for tag in tags:
            key = to_danbooru(tag)
            with self._lock:
                if not looks_like_tag(key) or key in self._pending:
                    continue
                try:
                    self._queue.put_nowait(key)
                except queue.Full:
                    break
                self._pending.add(key)
                queued += 1
        if queued:
            self._start()
        return queued

    def close(self, timeout: float | None = 5.0) -> None:
        """Stop the worker after its current request."""
        self._closed = True
        self._stopping.set()
        thread = self._thread
        if thread is not None:
            try:
                self._queue.put(_STOP, timeout=timeout)
            except queue.Full:
                pass
            thread.join(timeout)

    def join_idle(self, timeout: float = 10.0) -> bool:
        """Wait until everything submitted has been handled (for tests and the CLI); True when idle."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._pending:
                    return True
            time.sleep(0.01)
        return False

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="animagine-danbooru-lookup", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        client: DanbooruClient | None = None
        try:
            while True:
                first = self._queue.get()
                if first is _STOP:
                    return
                keys = [first]
                while len(keys) < self._batch:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is _STOP:
                        self._closed = True
                        break
                    keys.append(item)
                client = self._handle([k for k in keys if isinstance(k, str)], client)
                if self._closed:
                    return
        finally:
            if client is not None:
                client.close()
            with self._lock:
                self._pending.clear()

    def _handle(self, keys: list[str], client: DanbooruClient | None) -> DanbooruClient | None:
        try:
            if client is None:
                client = self._client_factory(self.config)
            results = lookup(self.config, self._store.path, keys, client=client, store=self._store, now=self._now)
        except DanbooruError as exc:  # disabled or invalid settings: nothing to do until they change
            self.last_message = exc.message
            results = [LookupResult(k, k, message=exc.message) for k in keys]
        except Exception:  # the worker must survive anything; the caller never sees it
            log.exception("Danbooru background lookup failed")
            results = []
        failed = [r for r in results if r.message]
        if failed:
            self.last_message = failed[0].message
            log.info("Danbooru lookup paused: %s", failed[0].message)
        if self._on_result and results:
            try:
                self._on_result(results)
            except Exception:
                log.exception("Danbooru lookup callback failed")
        with self._lock:
            self._pending.difference_update(keys)
        if failed and not self._closed:
            self._drain()
            self._stopping.wait(self._pause_s)
        return client

    def _drain(self) -> None:
        """Forget what is queued: after a failure it would only fail again."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is _STOP:
                self._closed = True
                return
            with self._lock:
                self._pending.discard(item)  # type: ignore[arg-type]
