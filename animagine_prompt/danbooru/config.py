"""Settings for the opt-in Danbooru lookups, and the checks they must pass before any request."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .. import __version__
from .errors import DanbooruError

#: Where the extension lives; Danbooru asks API clients for a User-Agent that says who they are.
PROJECT_URL = "https://github.com/sd-webui-animagine/sd-webui-animagine"

#: Plain http is only accepted for a server on this machine (the tests' fake Danbooru).
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class DanbooruConfig:
    """Everything the client needs; off unless the user turns it on.

    ``api_key`` is excluded from ``repr`` so that a config printed in a log or a
    traceback never shows it. ``min_post_count`` is the refresh threshold: tags
    with fewer posts are too rare for the model to know, so fetching them only
    costs requests.
    """

    enabled: bool = False
    base_url: str = "https://danbooru.donmai.us"
    username: str | None = None
    api_key: str | None = field(default=None, repr=False)
    ttl_days: float = 30
    timeout_s: float = 5
    min_interval_s: float = 1.0
    min_post_count: int = 100
    #: Longest 429 ``Retry-After`` we wait out; beyond it the request fails with a message.
    max_retry_after_s: float = 30.0
    #: How many 429 answers in a row we wait out before giving up.
    max_retries: int = 2

    @property
    def has_credentials(self) -> bool:
        return bool(self.username and self.api_key)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    def validated(self) -> DanbooruConfig:
        """Return self when safe to use, else raise a :class:`DanbooruError` saying what to fix.

        Credentials travel in an Authorization header, so only HTTPS is allowed
        (plain http only for 127.0.0.1/localhost, where the tests run).
        """
        parts = urlsplit(self.base_url.strip())
        host = (parts.hostname or "").lower()
        if parts.scheme == "https" and host:
            pass
        elif parts.scheme == "http" and host in _LOCAL_HOSTS:
            pass
        else:
            raise DanbooruError(
                "The Danbooru address must start with https:// (plain http is only allowed for localhost).",
                kind="config",
            )
        if parts.username or parts.password:
            raise DanbooruError(
                "Put the Danbooru username and API key in their own settings, not in the address.", kind="config"
            )
        if self.timeout_s <= 0 or self.min_interval_s < 0 or self.ttl_days <= 0 or self.min_post_count < 0:
            raise DanbooruError("Danbooru timeout, interval, cache age and post count must be positive.", kind="config")
        if bool(self.username) != bool(self.api_key):
            raise DanbooruError("Give both a Danbooru username and an API key, or neither.", kind="config")
        return self


def user_agent() -> str:
    """The User-Agent every request sends, naming this extension and where to find it."""
    return f"sd-webui-animagine/{__version__} (+{PROJECT_URL})"
