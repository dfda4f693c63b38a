"""``POST /animagine/v1/format``: format a prompt without generating, for the prompt-box button and other frontends.

Registered from ``on_app_started`` (``app.add_api_route``), so it exists with
``--api``, without it, and under ``--nowebui``; it asks for what the host's routes
ask for (``--api-auth`` credentials, or a ``--gradio-auth`` login). The response is the engine's
``FormatResult.to_json()``; an unknown preset is a 422 that lists the valid names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Optional

from pydantic import BaseModel

from animagine_prompt.presets import PresetError

from .args import to_rating
from .element_ids import FORMAT_ROUTE
from .engine import KNOWLEDGE_BASE, PRESETS, safe_format
from .settings import AdapterSettings


class FormatRequest(BaseModel):
    """Works with pydantic 1 (A1111, reForge) and 2 (Forge, reForge gradio 4): defaults only, no validators."""

    prompt: str
    negative_prompt: str = ""
    preset: Optional[str] = None  # noqa: UP045 - pydantic 1 on Python 3.10 needs Optional
    width: Optional[int] = None  # noqa: UP045
    height: Optional[int] = None  # noqa: UP045
    rating: Optional[str] = None  # noqa: UP045
    inject_negative: Optional[bool] = None  # noqa: UP045


def format_request(request: FormatRequest, settings: AdapterSettings) -> dict[str, Any]:
    """The route's body, host-free: settings are passed in."""
    preset = PRESETS.resolve(request.preset or settings.default_preset)
    inject = settings.default_inject_negative if request.inject_negative is None else request.inject_negative
    options = settings.format_options(rating=to_rating(request.rating), inject_negative=inject)
    result = safe_format(
        request.prompt,
        negative=request.negative_prompt,
        preset=preset,
        options=options,
        db=KNOWLEDGE_BASE.get(),
        width=request.width,
        height=request.height,
    )
    body = result.to_json()
    body["preset"] = preset.name
    return body


def add_routes(app: Any, get_settings: Callable[[], AdapterSettings], *, api_auth: str | None = None) -> None:
    """Attach the route to the host's FastAPI app, behind the host's own checks (see ``auth``).

    ``api_auth`` is the host's ``--api-auth`` value; a gradio login on ``app`` is honoured too.
    """
    from fastapi import Depends, HTTPException

    from .auth import make_guard

    def route(request: FormatRequest) -> dict[str, Any]:
        try:
            return format_request(request, get_settings())
        except PresetError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None

    app.add_api_route(
        FORMAT_ROUTE, route, methods=["POST"], response_model=None, dependencies=[Depends(make_guard(app, api_auth))]
    )
