"""`/ping/<token>[/start|/fail|/<exit code>]`: a heartbeat reports in. No API key: the token is
the credential.

Well-formed pings are answered by the ping lane before they reach these routes (ping_lane.py);
the routes declare the operations (OpenAPI), answer what the lane leaves to them (validation
errors, other spellings of an exit code) and take a ping the same way (ping_intake.py).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import PlainTextResponse

from pulsecheck.query_api.api import ping_paths
from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.query_api.api.ping_intake import accept_ping
from pulsecheck.shared.events.heartbeats import MAX_EXIT_CODE

router = APIRouter(prefix=ping_paths.PREFIX, tags=["heartbeats"])

Token = Annotated[
    str,
    Path(
        min_length=ping_paths.TOKEN_MIN_LENGTH,
        max_length=ping_paths.TOKEN_MAX_LENGTH,
        pattern=ping_paths.TOKEN_PATTERN,
    ),
]
ExitCode = Annotated[int, Path(ge=0, le=MAX_EXIT_CODE)]


async def ping_success(request: Request, context: ContextDep, token: Token) -> PlainTextResponse:
    await accept_ping(context, token, "success", None, request.stream())
    return PlainTextResponse("OK")


async def ping_start(request: Request, context: ContextDep, token: Token) -> PlainTextResponse:
    await accept_ping(context, token, "start", None, request.stream())
    return PlainTextResponse("OK")


async def ping_fail(request: Request, context: ContextDep, token: Token) -> PlainTextResponse:
    await accept_ping(context, token, "fail", None, request.stream())
    return PlainTextResponse("OK")


async def ping_exit_code(
    request: Request, context: ContextDep, token: Token, code: ExitCode
) -> PlainTextResponse:
    await accept_ping(context, token, "success", code, request.stream())
    return PlainTextResponse("OK")


# GET for `curl URL` in a crontab, POST for a body; one operation id per method
for _method in ping_paths.METHODS:
    for _path, _handler in (
        (ping_paths.SUCCESS, ping_success),
        (ping_paths.START, ping_start),
        (ping_paths.FAIL, ping_fail),
        (ping_paths.EXIT_CODE, ping_exit_code),
    ):
        router.add_api_route(
            _path,
            _handler,
            methods=[_method],
            response_class=PlainTextResponse,
            operation_id=f"{_handler.__name__}_{_method.lower()}",
        )
