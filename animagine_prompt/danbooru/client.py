"""A small, polite HTTP client for Danbooru's public JSON API.

Why its own module: every way a request can go wrong (offline, DNS, timeout,
429, 5xx, a Cloudflare page instead of JSON) must end as one
:class:`DanbooruError` with a sentence the user can act on, and credentials
must never leak into that sentence, a log line or a traceback. Keeping all
network access behind this class makes both easy to check.
"""

from __future__ import annotations

import email.utils
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import requests

from .config import DanbooruConfig, user_agent
from .errors import DanbooruError

log = logging.getLogger(__name__)

#: Danbooru's largest page.
MAX_LIMIT = 1000

#: Danbooru tag categories (the ``category`` field of /tags.json).
GENERAL, ARTIST, COPYRIGHT, CHARACTER, META = 0, 1, 3, 4, 5


class DanbooruClient:
    """One session, rate-limited, with fixed error messages.

    ``clock`` and ``sleep`` are injectable so tests can check the rate limit
    and ``Retry-After`` handling without waiting.
    """

    def __init__(
        self,
        config: DanbooruConfig,
        *,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not config.enabled:
            raise DanbooruError("Danbooru lookups are off; turn them on in the Animagine settings.", kind="disabled")
        self.config = config.validated()
        self._base = config.base_url.strip().rstrip("/")
        self._session = session or requests.Session()
        self._session.headers.update({"User-Agent": user_agent(), "Accept": "application/json"})
        # Basic auth goes in a header, never in the URL, so it cannot show up in a URL that requests logs
        # or puts in an exception; requests also drops it on a redirect to another host.
        self._auth = (config.username, config.api_key) if config.has_credentials else None
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._last_request: float | None = None

    # -- plumbing ---------------------------------------------------------------------------------------------

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> DanbooruClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_json(self, path: str, params: dict[str, str | int]) -> Any:
        """GET ``base_url + path`` and return the decoded JSON, or raise :class:`DanbooruError`.

        Requests are serialised and spaced by ``min_interval_s``; a 429 is waited
        out (``Retry-After``, capped) up to ``max_retries`` times.
        """
        with self._lock:
            for attempt in range(self.config.max_retries + 1):
                self._wait_turn()
                response = self._send(path, params)
                if response.status_code != 429:
                    return self._decode(response)
                wait = _retry_after(response.headers.get("Retry-After"), default=max(self.config.min_interval_s, 1.0))
                response.close()
                log.info("Danbooru rate limit on %s: Retry-After %.0f s", path, wait)
                if wait > self.config.max_retry_after_s or attempt == self.config.max_retries:
                    raise DanbooruError(
                        f"Danbooru is limiting requests; try again in {math.ceil(wait)} s.",
                        kind="rate_limited",
                        retry_after_s=wait,
                    )
                self._sleep(wait)
            raise AssertionError("unreachable")  # pragma: no cover

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            gap = self._last_request + self.config.min_interval_s - self._clock()
            if gap > 0:
                self._sleep(gap)
        self._last_request = self._clock()

    def _send(self, path: str, params: dict[str, str | int]) -> requests.Response:
        host = self.config.host
        log.debug("Danbooru GET %s %s", path, params)  # params never hold credentials (they go in a header)
        try:
            return self._session.get(
                self._base + path,
                params=params,
                auth=self._auth,
                timeout=(self.config.timeout_s, self.config.timeout_s),
                allow_redirects=False,
            )
        except requests.Timeout:
            raise DanbooruError(
                f"Danbooru did not answer within {self.config.timeout_s:g} s; try again later.", kind="timeout"
            ) from None
        except requests.ConnectionError:
            raise DanbooruError(
                f"Could not reach Danbooru ({host}): no network connection, or the name did not resolve.",
                kind="offline",
            ) from None
        except requests.RequestException:
            raise DanbooruError(f"The request to Danbooru ({host}) failed.", kind="offline") from None

    def _decode(self, response: requests.Response) -> Any:
        status = response.status_code
        try:
            if status in (401, 403):
                hint = "check the Danbooru username and API key" if self._auth else "it may be blocking this network"
                raise DanbooruError(f"Danbooru refused the request (HTTP {status}); {hint}.", kind="refused")
            if status >= 500:
                raise DanbooruError(f"Danbooru had a server error (HTTP {status}); try again later.", kind="server")
            if status != 200:
                raise DanbooruError(f"Danbooru rejected the request (HTTP {status}).", kind="refused")
            try:
                return response.json()
            except ValueError:
                raise DanbooruError(
                    "Danbooru sent an answer that is not the expected JSON; try again later.", kind="malformed"
                ) from None
        finally:
            response.close()

    # -- endpoints --------------------------------------------------------------------------------------------

    def tags_named(self, names: Iterable[str]) -> list[dict[str, Any]]:
        """Tag records for exact Danbooru names (underscored), in one request.

        Names with a comma cannot go through ``name_comma``; they are asked
        one by one through ``name_matches`` (with ``*`` escaped, since it is
        that search's wildcard).
        """
        names = list(dict.fromkeys(n for n in names if n))
        plain = [n for n in names if "," not in n]
        found: list[dict[str, Any]] = []
        for start in range(0, len(plain), 100):
            chunk = plain[start : start + 100]
            data = self.get_json(
                "/tags.json", {"search[name_comma]": ",".join(chunk), "limit": min(MAX_LIMIT, len(chunk))}
            )
            found.extend(_records(data))
        for name in names:
            if "," in name:
                data = self.get_json("/tags.json", {"search[name_matches]": name.replace("*", "\\*"), "limit": 1})
                found.extend(_records(data))
        return found

    def active_alias(self, name: str) -> str | None:
        """The tag an active alias turns ``name`` into, if any."""
        data = self.get_json(
            "/tag_aliases.json",
            {"search[antecedent_name]": name, "search[status]": "active", "limit": 1},
        )
        for record in _records(data):
            consequent = record.get("consequent_name")
            if isinstance(consequent, str) and consequent and record.get("status", "active") == "active":
                return consequent
        return None

    def related_copyrights(self, name: str, limit: int = 3) -> list[str]:
        """The series a character tag most often appears with, best first.

        /related_tag.json answers ``{"query", "post_count", "tag", "related_tags":
        [{"tag": {...}, "cosine_similarity", ...}], ...}``; older servers sent
        ``"tags": [[name, category], ...]``. Both are read.
        """
        data = self.get_json("/related_tag.json", {"query": name, "category": "copyright"})
        if not isinstance(data, dict):
            raise DanbooruError("Danbooru sent an answer that is not the expected JSON; try again later.", "malformed")
        out: list[str] = []
        for item in data.get("related_tags") or []:
            tag = item.get("tag") if isinstance(item, dict) else None
            if isinstance(tag, dict) and tag.get("category") == COPYRIGHT and isinstance(tag.get("name"), str):
                out.append(tag["name"])
        for item in data.get("tags") or []:
            if isinstance(item, list) and len(item) >= 2 and item[1] == COPYRIGHT and isinstance(item[0], str):
                out.append(item[0])
        return list(dict.fromkeys(n for n in out if n != name))[:limit]

    def tags_page(
        self,
        category: int,
        *,
        min_posts: int,
        created_after: str | None,
        before_id: int | None,
        limit: int = MAX_LIMIT,
    ) -> list[dict[str, Any]]:
        """One keyset page of tags of ``category``, newest id first, ids below ``before_id``.

        ``page=b<id>`` is Danbooru's sequential paging: unlike numbered pages it
        does not shift when tags are added meanwhile and has no page-number cap,
        and the smallest id seen is a cursor a refresh can resume from.
        """
        params: dict[str, str | int] = {
            "search[category]": category,
            "search[post_count]": f">={min_posts}",
            "limit": limit,
            "page": f"b{before_id if before_id is not None else 2**31 - 1}",
        }
        if created_after:
            params["search[created_at]"] = f">{created_after}"
        return _records(self.get_json("/tags.json", params))


def _records(data: Any) -> list[dict[str, Any]]:
    """Keep the dict records of a list answer; anything else is a malformed answer."""
    if not isinstance(data, list):
        raise DanbooruError("Danbooru sent an answer that is not the expected JSON; try again later.", "malformed")
    return [r for r in data if isinstance(r, dict)]


def _retry_after(value: str | None, default: float) -> float:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return default
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())
