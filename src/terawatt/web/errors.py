"""One-line JSON errors: every refusal is ``{"error": "<one line>"}``, never a traceback.

* :class:`~terawatt.errors.UserError` (unknown key, wrong unit, value out of range, unknown
  scenario, damaged run folder) -> 400 with the library's message, which names the key, the
  value and what is allowed;
* a request that does not match the API's schema (FastAPI's ``RequestValidationError``: a
  missing field, a number where text is expected, too many samples) -> 422, the first problem
  as one line;
* :class:`WebError` (an unknown or path-like run id, a request that ran out of time) -> its
  status;
* an HTTP error of the router (no such page, wrong method) -> its status;
* a body over :data:`terawatt.web.limits.MAX_BODY_BYTES` -> 413 (:class:`BodyLimit`);
* anything else -> 500 with the exception's type only; the traceback goes to the server log.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from terawatt.errors import UserError

#: Longest input value quoted in a validation message [character].
_QUOTE_CHARS = 60


class WebError(Exception):
    """A refusal with an HTTP status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(one_line(message))
        self.status = status


def one_line(text: object) -> str:
    """``text`` with every run of white space (newlines too) as one blank."""
    return " ".join(str(text).split())


def error_response(status: int, message: object, headers: dict[str, str] | None = None
                   ) -> JSONResponse:
    """``{"error": message}`` as one line, with ``status``."""
    return JSONResponse({"error": one_line(message)}, status_code=status, headers=headers)


def _quote(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _QUOTE_CHARS else text[:_QUOTE_CHARS - 3] + "..."


def validation_line(exc: RequestValidationError) -> str:
    """The first problem of a request that does not match the schema, as one line: where
    (``body.values.launch.payload_per_flight``), the value and what is allowed."""
    errs = exc.errors()
    if not errs:
        return "request does not match the API schema; see /openapi.json"
    err = errs[0]
    loc = ".".join(str(x) for x in err.get("loc", ()))
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    if err.get("type") == "json_invalid":
        detail = (err.get("ctx") or {}).get("error", "")
        return f"body: not valid JSON ({detail} at character {err['loc'][-1]}); allowed: a JSON "\
               "object, see /openapi.json"
    if err.get("type") == "missing":
        return f"{loc}: missing; see /openapi.json for the fields of this request"
    shown = f": value {_quote(err['input'])}" if "input" in err else ""
    more = f" (and {len(errs) - 1} more problems)" if len(errs) > 1 else ""
    return f"{loc}{shown}; allowed: {msg[0].lower()}{msg[1:]}{more}"


async def _user_error(request: Request, exc: Exception) -> JSONResponse:
    return error_response(400, exc)


async def _web_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, WebError)
    return error_response(exc.status, exc)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, validation_line(exc))


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 404 and exc.detail == "Not Found":
        msg = (f"{request.url.path}: no such page or endpoint; pages: /, /claims, /runs, /api; "
               "endpoints: /openapi.json")
    elif exc.status_code == 405:
        msg = (f"{request.method} {request.url.path}: method not allowed; allowed: "
               f"{headers.get('allow') or headers.get('Allow') or 'see /openapi.json'}")
    else:
        msg = str(exc.detail)
    return error_response(exc.status_code, msg, headers or None)


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    # Starlette re-raises ``exc`` after this response is sent: uvicorn logs the traceback
    return error_response(500, f"internal error ({type(exc).__name__}) in {request.url.path}; "
                               "the server log has the details")


def install(app: FastAPI) -> None:
    """Register the one-line handlers on ``app``."""
    app.add_exception_handler(UserError, _user_error)
    app.add_exception_handler(WebError, _web_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _internal)


# --------------------------------------------------------------------------- body size
class BodyTooLarge(HTTPException):
    """A request body over the limit (an HTTPException, so FastAPI's body reader passes it on
    unchanged instead of calling it a parse error)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit:,} bytes; allowed: at most "
                              f"{limit:,} bytes (a scenario with every assumption fits)")


class BodyLimit:
    """ASGI middleware: refuse a body larger than ``max_bytes`` with 413, from its
    ``Content-Length`` before reading anything, or while reading a body sent without one."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await error_response(400, f"Content-Length {value[:20]!r} is not a number; "
                                              "allowed: a whole number of bytes"
                                         )(scope, receive, send)
                    return
                if declared > limit:
                    await error_response(413, BodyTooLarge(limit).detail)(scope, receive, send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return msg

        await self.app(scope, limited, send)
