"""``POST /animagine/v1/format``: format a prompt without generating, for the prompt-box button and other frontends.

Registered from ``on_app_started`` (``app.add_api_route``), so it exists with
``--api``, without it, and under ``--nowebui``; it asks for what the host's routes
ask for (``--api-auth`` credentials, or a ``--gradio-auth`` login). The response is
the engine's ``FormatResult.to_json()``.

Bad input is the caller's to fix, so it is refused with a status that says which
field is wrong instead of being guessed at: 422 for a wrong type or an unknown
value (``rating: "sfw"``, an unknown preset), 413 for a prompt over
:data:`MAX_TEXT_BYTES` or a body over :data:`MAX_BODY_BYTES`. The body is read with
that cap, so one request can never make the server hold or format more than that.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Optional

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, StrictBool, StrictStr, ValidationError, conint
from starlette.concurrency import run_in_threadpool

from animagine_prompt.presets import PresetError
from animagine_prompt.syntax.dialect import DIALECTS

from .args import RATING_CHOICES, to_rating
from .element_ids import FORMAT_ROUTE
from .engine import KNOWLEDGE_BASE, PRESETS, format_for_host
from .settings import AdapterSettings

#: The most UTF-8 bytes of ``prompt`` and of ``negative_prompt``, each (documented in docs/webui.md).
MAX_TEXT_BYTES = 64 * 1024
#: The most bytes of a whole body: two capped texts, even fully JSON-escaped, and the small fields.
MAX_BODY_BYTES = 6 * MAX_TEXT_BYTES
#: Width and height the engine will snap from; anything beyond is no image size.
MAX_SIDE = 16384

Side = conint(strict=True, ge=1, le=MAX_SIDE)


class FormatRequest(BaseModel):
    """Works with pydantic 1 (A1111, reForge) and 2 (Forge, reForge gradio 4): strict types, no validators.

    Strict, so ``"width": "832"`` or ``"prompt": 5`` is a 422 naming the field under
    both pydantic lines (pydantic 1 would otherwise coerce them silently).
    """

    prompt: StrictStr
    negative_prompt: StrictStr = ""
    preset: Optional[StrictStr] = None  # noqa: UP045 - pydantic 1 on Python 3.10 needs Optional
    width: Optional[Side] = None  # type: ignore[valid-type]  # noqa: UP045
    height: Optional[Side] = None  # type: ignore[valid-type]  # noqa: UP045
    rating: Optional[StrictStr] = None  # noqa: UP045
    inject_negative: Optional[StrictBool] = None  # noqa: UP045
    dialect: Optional[StrictStr] = None  # noqa: UP045 - what the host strips as comments; default: this host's


class RequestProblem(Exception):
    """A refusal with an HTTP status and FastAPI's ``detail`` shape: ``[{loc, msg, type}]``."""

    def __init__(self, status: int, field: Sequence[str | int], msg: str, kind: str) -> None:
        super().__init__(msg)
        self.status = status
        self.detail = [{"loc": ["body", *field], "msg": msg, "type": kind}]


def parse_request(raw: bytes) -> FormatRequest:
    """Bytes of a body to a checked request; raises :class:`RequestProblem` naming what is wrong."""
    if len(raw) > MAX_BODY_BYTES:
        raise RequestProblem(413, [], f"the body is over {MAX_BODY_BYTES} bytes", "value_error.too_large")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise RequestProblem(422, [], f"the body is not JSON: {exc}", "value_error.jsondecode") from None
    try:
        validate = getattr(FormatRequest, "model_validate", None) or FormatRequest.parse_obj
        request = validate(data)
    except ValidationError as exc:
        problem = RequestProblem(422, [], "invalid request", "value_error")
        problem.detail = [
            {"loc": ["body", *error["loc"]], "msg": error["msg"], "type": error["type"]} for error in exc.errors()
        ]
        raise problem from None
    for field in ("prompt", "negative_prompt"):
        size = len(getattr(request, field).encode("utf-8"))
        if size > MAX_TEXT_BYTES:
            msg = f"{field} is {size} bytes; the limit is {MAX_TEXT_BYTES} (64 KB)"
            raise RequestProblem(413, [field], msg, "value_error.too_large")
    if request.rating is not None and request.rating.strip().lower() not in RATING_CHOICES:
        msg = f"unknown rating {request.rating!r}; one of: {', '.join(RATING_CHOICES)}"
        raise RequestProblem(422, ["rating"], msg, "value_error.rating")
    if request.dialect is not None and request.dialect.strip().lower() not in DIALECTS:
        msg = f"unknown dialect {request.dialect!r}; one of: {', '.join(DIALECTS)}"
        raise RequestProblem(422, ["dialect"], msg, "value_error.dialect")
    return request


def format_request(request: FormatRequest, settings: AdapterSettings) -> dict[str, Any]:
    """The route's body, host-free: settings are passed in. An unknown preset is a 422 naming ``preset``."""
    try:
        preset = PRESETS.resolve(request.preset or settings.default_preset)
    except PresetError as exc:
        raise RequestProblem(422, ["preset"], str(exc), "value_error.preset") from None
    inject = settings.default_inject_negative if request.inject_negative is None else request.inject_negative
    options = settings.format_options(rating=to_rating(request.rating), inject_negative=inject)
    if request.dialect is not None:
        options = replace(options, dialect=request.dialect.strip().lower())
    result = format_for_host(
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


async def read_capped(request: Request, limit: int) -> bytes:
    """The body, but never more than ``limit + 1`` bytes of it (a longer one is refused unread)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return b" " * (limit + 1)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    return b"".join(chunks)


def add_routes(app: Any, get_settings: Callable[[], AdapterSettings], *, api_auth: str | None = None) -> None:
    """Attach the route to the host's FastAPI app, behind the host's own checks (see ``auth``).

    ``api_auth`` is the host's ``--api-auth`` value; a gradio login on ``app`` is honoured too.
    """
    from .auth import make_guard

    def handle(raw: bytes) -> dict[str, Any]:
        return format_request(parse_request(raw), get_settings())

    async def route(request: Request) -> Any:
        raw = await read_capped(request, MAX_BODY_BYTES)
        try:
            return await run_in_threadpool(handle, raw)  # formatting is CPU work: off the event loop
        except RequestProblem as exc:
            return JSONResponse(status_code=exc.status, content={"detail": exc.detail})

    schema = getattr(FormatRequest, "model_json_schema", None) or FormatRequest.schema
    app.add_api_route(
        FORMAT_ROUTE,
        route,
        methods=["POST"],
        response_model=None,
        dependencies=[Depends(make_guard(app, api_auth))],
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": schema()}}}},
    )
