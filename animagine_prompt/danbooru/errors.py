"""The one exception the Danbooru layer raises, carrying a message meant for the user."""

from __future__ import annotations


class DanbooruError(Exception):
    """A lookup or refresh failed in a way the caller should show, not crash on.

    ``message`` is a complete sentence for the UI or CLI. It is built by this
    package from fixed text and the HTTP status only, never from a server body
    or a requests exception, so it cannot carry credentials or a URL with them.
    ``kind`` is a short machine-readable reason (``offline``, ``timeout``,
    ``rate_limited``, ``server``, ``refused``, ``malformed``, ``config``,
    ``disabled``) for callers that want to react differently.
    """

    def __init__(self, message: str, kind: str = "error", retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.retry_after_s = retry_after_s

    def __repr__(self) -> str:
        return f"DanbooruError({self.message!r}, kind={self.kind!r})"
