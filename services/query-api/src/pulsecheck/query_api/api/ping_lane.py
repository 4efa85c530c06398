"""The ping lane: a pure ASGI middleware, the outermost of the app's own, that answers
well-formed pings itself and hands every other request on unchanged.

A ping through the FastAPI stack cost about 1 ms of CPU, most of it in the router's walk over
every route, dependency solving and the middleware chain (bench/heartbeats: py-spy). The lane
keeps the same rules from their one home each: the URL grammar (ping_paths.py), the ping
itself (ping_intake.py: bucket, token, body cap, event, delivery), the security headers and
the request metrics (the same middlewares, around the lane's answer), and the same JSON
errors (errors.py). What the lane does not recognise goes on to the routes, which answer it
as they always have (422, 405, ...).
"""

from __future__ import annotations

import psycopg
from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import (
    ApiError,
    api_error_response,
    database_unavailable_response,
)
from pulsecheck.query_api.api.metrics import ApiMetrics, RequestTimer
from pulsecheck.query_api.api.ping_intake import accept_ping
from pulsecheck.query_api.api.ping_paths import PingCall, ping_call
from pulsecheck.query_api.api.security_headers import SecurityHeaders


class PingLane:
    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self._answer = SecurityHeaders(RequestTimer(self._ping, metrics=metrics))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            # the path as the router matches it (under a root path, without it)
            call = ping_call(scope["method"], get_route_path(scope))
            if call is not None:
                # RequestTimer labels by `scope["route"].path`, as the router leaves it
                scope["route"] = call
                await self._answer(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _ping(self, scope: Scope, receive: Receive, send: Send) -> None:
        call: PingCall = scope["route"]
        context: AppContext = scope["app"].state.context
        response: Response
        try:
            body = Request(scope, receive).stream()
            await accept_ping(context, call.token, call.signal, call.exit_code, body)
        except ApiError as exc:
            response = api_error_response(exc)
        except psycopg.OperationalError as exc:  # a token not in memory needed the database
            response = database_unavailable_response(scope["path"], exc)
        else:
            response = PlainTextResponse("OK")
        await response(scope, receive, send)
