"""A fake Danbooru on 127.0.0.1 that answers like the real JSON API from recorded-shape fixtures.

It implements only the queries the client sends (``name_comma``,
``name_matches``, category/post-count/created-at filters with ``page=b<id>``
keyset paging, active-alias search and related copyrights) and records each
request, so tests can assert both what the user sees and what went over the
wire. ``intercept`` lets a test replace an answer (429, 500, garbage, delay).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from animagine_prompt.danbooru import DanbooruConfig

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"[]"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Seen:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    raw_target: str


Interceptor = Callable[[str, dict[str, str]], Reply | None]


class FakeDanbooru:
    def __init__(self) -> None:
        self.tags: list[dict] = json.loads((FIXTURES / "tags.json").read_text())
        self.aliases: list[dict] = json.loads((FIXTURES / "tag_aliases.json").read_text())
        self.related: dict[str, dict] = json.loads((FIXTURES / "related_tag.json").read_text())
        self.requests: list[Seen] = []
        self.interceptors: list[Interceptor] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                parts = urlsplit(self.path)
                params = dict(parse_qsl(parts.query, keep_blank_values=True))
                with fake._lock:
                    fake.requests.append(Seen(parts.path, params, dict(self.headers), self.path))
                reply = None
                for intercept in list(fake.interceptors):
                    reply = intercept(parts.path, params)
                    if reply is not None:
                        break
                if reply is None:
                    reply = fake.answer(parts.path, params)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(reply.body)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # -- test helpers -----------------------------------------------------------------------------------------

    def intercept(self, fn: Interceptor) -> None:
        self.interceptors.append(fn)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def config(self, **kw: object) -> DanbooruConfig:
        defaults: dict[str, object] = {"enabled": True, "base_url": self.url, "min_interval_s": 0.0, "timeout_s": 2.0}
        defaults.update(kw)
        return DanbooruConfig(**defaults)  # type: ignore[arg-type]

    # -- Danbooru behaviour -----------------------------------------------------------------------------------

    def answer(self, path: str, params: dict[str, str]) -> Reply:
        if path == "/tags.json":
            return _json(self._tags(params))
        if path == "/tag_aliases.json":
            rows = [
                a
                for a in self.aliases
                if a["antecedent_name"] == params.get("search[antecedent_name]")
                and a["status"] == params.get("search[status]", a["status"])
            ]
            return _json(rows[: int(params.get("limit", 20))])
        if path == "/related_tag.json":
            data = self.related.get(params.get("query", ""))
            if data is None:
                data = {"query": params.get("query"), "post_count": 0, "tag": None, "related_tags": []}
            return _json(data)
        return Reply(404, b'{"success":false,"message":"not found"}')

    def _tags(self, params: dict[str, str]) -> list[dict]:
        rows = sorted(self.tags, key=lambda t: -t["id"])
        if "search[name_comma]" in params:
            names = set(params["search[name_comma]"].split(","))
            rows = [t for t in rows if t["name"] in names]
        if "search[name_matches]" in params:
            pattern = params["search[name_matches]"].replace("\\*", "*")
            rows = [t for t in rows if t["name"] == pattern]
        if "search[category]" in params:
            rows = [t for t in rows if t["category"] == int(params["search[category]"])]
        if "search[post_count]" in params:
            spec = params["search[post_count]"]
            assert spec.startswith(">="), spec
            rows = [t for t in rows if t["post_count"] >= int(spec[2:])]
        if "search[created_at]" in params:
            spec = params["search[created_at]"]
            assert spec.startswith(">"), spec
            after = datetime.fromisoformat(spec[1:]).date()
            rows = [t for t in rows if datetime.fromisoformat(t["created_at"]).date() > after]
        page = params.get("page", "1")
        if page.startswith("b"):
            rows = [t for t in rows if t["id"] < int(page[1:])]
        else:
            assert page == "1", "the client should use keyset paging"
        return rows[: int(params.get("limit", 20))]

    def __enter__(self) -> FakeDanbooru:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _json(data: object) -> Reply:
    return Reply(200, json.dumps(data).encode())


class Clock:
    """A settable wall clock (Unix seconds) for cache expiry."""

    def __init__(self, start: float = 1_764_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance_days(self, days: float) -> None:
        self.t += days * 86400
