"""Who may call ``/animagine/v1/format``: the same people the host lets call its own routes.

A1111 and reForge guard every ``/sdapi`` route with HTTP basic credentials when
``--api-auth u:p[,u2:p2]`` is given (``modules/api/api.py`` ``Api.auth``), and
gradio guards the UI with a login session when ``--gradio-auth`` is given. Our
route serves both kinds of caller (API clients, and the prompt-box button in a
logged-in browser), so either proof is accepted: the ``--api-auth`` credentials,
or a valid gradio session of the app the route is mounted on. With neither flag
the route is open, like the host's.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from hmac import compare_digest
from typing import Any

from fastapi import HTTPException, Request

Guard = Callable[[Request], None]


def parse_credentials(spec: str | None) -> dict[str, str]:
    """``"u1:p1,u2:p2"`` as the host splits it; a password may itself hold ``:``."""
    credentials: dict[str, str] = {}
    for entry in (spec or "").split(","):
        user, sep, password = entry.strip().partition(":")
        if sep and user:
            credentials[user] = password
    return credentials


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """The ``Authorization: Basic`` pair of a request, or None when absent or malformed."""
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def ui_auth_enabled(app: Any) -> bool:
    """Whether gradio asks for a login on this app (``--gradio-auth``, or gradio 4's auth dependency)."""
    return bool(getattr(app, "auth", None)) or getattr(app, "auth_dependency", None) is not None


def session_user(app: Any, request: Request) -> str | None:
    """The logged-in gradio user, read the way gradio's own ``/user`` route reads it (3.41 and 4.40)."""
    dependency = getattr(app, "auth_dependency", None)
    if dependency is not None:
        return dependency(request)
    tokens = getattr(app, "tokens", None) or {}
    cookie_id = getattr(app, "cookie_id", None)
    if cookie_id:  # gradio 4 names its cookies per app
        names = (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}")
    else:
        names = ("access-token", "access-token-unsecure")
    for name in names:
        token = request.cookies.get(name)
        if token and token in tokens:
            return tokens[token]
    return None


def _matches(credentials: dict[str, str], given: tuple[str, str] | None) -> bool:
    if given is None or given[0] not in credentials:
        return False
    return compare_digest(given[1].encode(), credentials[given[0]].encode())


def make_guard(app: Any, api_auth: str | None) -> Guard:
    """A FastAPI dependency that raises 401 unless the caller passes the host's checks.

    The gradio login state is read per request: ``app.auth`` is set by ``launch``,
    which in the host happens before ``on_app_started`` but may change on Reload UI.
    """
    credentials = parse_credentials(api_auth)

    def guard(request: Request) -> None:
        ui_auth = ui_auth_enabled(app)
        if not credentials and not ui_auth:
            return
        if ui_auth and session_user(app, request) is not None:
            return
        if credentials and _matches(credentials, basic_credentials(request)):
            return
        headers = {"WWW-Authenticate": "Basic"} if credentials else None
        detail = "Incorrect username or password" if credentials else "Not authenticated"
        raise HTTPException(status_code=401, detail=detail, headers=headers)

    return guard
