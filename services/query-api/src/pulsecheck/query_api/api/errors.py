"""Every error is JSON with a machine-readable `error` and a human `reason`; bad input is 4xx.

An outage of PostgreSQL or of the broker is a 503 with `Retry-After`, never a 500: the request
was fine, a dependency was not, and the client may send it again.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from pulsecheck.query_api.api.security_headers import security_headers

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        error: str,
        reason: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.error = error
        self.reason = reason
        self.headers = headers
        self.extra = extra


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


def invalid(reason: str, **extra: Any) -> ApiError:
    return ApiError(422, "invalid_request", reason, **extra)


# seconds a client is asked to wait after a 503: about the pool's and the broker's reconnect
RETRY_AFTER_SECONDS = 5
_RETRY_LATER = {"Retry-After": str(RETRY_AFTER_SECONDS)}


def event_bus_unavailable() -> ApiError:
    return ApiError(
        503,
        "event_bus_unavailable",
        "the event bus did not confirm the change in time; retry later",
        headers=_RETRY_LATER,
    )


def _body(error: str, reason: str, **extra: Any) -> dict[str, Any]:
    return {"error": error, "reason": reason, **extra}


def _validation_reason(errors: list[Any]) -> str:
    parts = []
    for error in errors[:5]:
        where = ".".join(str(p) for p in error.get("loc", ())) or "(request)"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def api_error_response(exc: ApiError) -> JSONResponse:
    body = _body(exc.error, exc.reason, **exc.extra)
    return JSONResponse(body, status_code=exc.status, headers=exc.headers)


def database_unavailable_response(path: str, exc: psycopg.OperationalError) -> JSONResponse:
    log.warning("database unavailable", extra={"path": path, "error": type(exc).__name__})
    body = _body("database_unavailable", "the database is unavailable; retry later")
    return JSONResponse(body, status_code=503, headers=_RETRY_LATER)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return api_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        details = jsonable_encoder(
            [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in errors]
        )
        body = _body("invalid_request", _validation_reason(errors), details=details)
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = "not_found" if exc.status_code == 404 else "http_error"
        reason = str(exc.detail) if exc.detail else "error"
        return JSONResponse(_body(error, reason), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(psycopg.DataError)
    async def _data(request: Request, exc: psycopg.DataError) -> JSONResponse:
        # e.g. a NUL byte or an out-of-range number PostgreSQL refuses to store
        return JSONResponse(_body("invalid_request", f"invalid value: {exc}"), status_code=400)

    # psycopg_pool's PoolTimeout, PoolClosed and TooManyRequests are OperationalErrors too,
    # as are a refused connection, a lost one and an administrator's shutdown
    @app.exception_handler(psycopg.OperationalError)
    async def _database_unavailable(
        request: Request, exc: psycopg.OperationalError
    ) -> JSONResponse:
        return database_unavailable_response(request.url.path, exc)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        headers = security_headers(request.url.scheme == "https")
        body = _body("internal", "internal server error")
        return JSONResponse(body, status_code=500, headers=headers)
