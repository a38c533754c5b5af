"""Every error the API gives is JSON of one shape, saying what is wrong:

    {"error": {"code": "invalid_filter", "message": "since: 'yesterday' is not a date (YYYY-MM-DD)",
               "field": "since"}}

A request that breaks something inside the server gets a 500 of the same shape, and the
server goes on serving the next one.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from whimbrel.api.limits import BodyTooLarge
from whimbrel.storage.filters import FilterError

log = logging.getLogger("whimbrel.api")

STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "body_too_large", 415: "unsupported_media_type",
                422: "invalid_request", 503: "unavailable"}


class ApiError(Exception):
    """An error a handler raises on purpose, with its status, code and message."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.headers = status, code, message, field, headers


def error_response(status: int, code: str, message: str, field: str | None = None,
                   details: list | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    if details:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _location(loc) -> str:
    return ".".join(str(part) for part in loc if part != "body") or "body"


def _validation_response(exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    for error in errors:
        if error.get("type") == "json_invalid":
            return error_response(400, "malformed_json", f"the body is not valid JSON ({error.get('msg')})")
    query = [e for e in errors if tuple(e.get("loc", ()))[:1] == ("query",)]
    if query:  # a filter of the wrong type is a bad filter, answered like the others
        name = str(query[0]["loc"][-1])
        return error_response(400, "invalid_filter", f"{name}: {query[0].get('msg', 'invalid')}", name)
    details = [{"field": _location(e.get("loc", ())), "message": e.get("msg", "")} for e in errors]
    first = details[0] if details else {"field": "body", "message": "invalid"}
    return error_response(422, "invalid_request", f"{first['field']}: {first['message']}",
                          field=first["field"], details=details)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.field, headers=exc.headers)

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(request: Request, exc: BodyTooLarge):
        return error_response(413, "body_too_large", "request body over the size limit",
                              headers={"Connection": "close"})

    @app.exception_handler(FilterError)
    async def filter_error(_: Request, exc: FilterError):
        code = "unknown_filter" if exc.message.startswith("unknown filter") else "invalid_filter"
        return error_response(400, code, str(exc), exc.field)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError):
        return _validation_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code = STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such resource: {request.url.path}"
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        log.exception("error serving %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", f"the server failed on this request ({type(exc).__name__})")
