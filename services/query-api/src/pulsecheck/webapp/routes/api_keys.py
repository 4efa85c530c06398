"""`/settings/api-keys`: owners make keys (shown once), see them masked, and revoke them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.read_model.storage.key_access import (
    account_api_keys,
    create_api_key,
    revoke_api_key,
)
from pulsecheck.read_model.storage.roles import ROLES
from pulsecheck.webapp.identity import OwnerDep, PageError, SignedIn
from pulsecheck.webapp.pages import render, see_other
from pulsecheck.webapp.routes.monitor_page import parsed_id

router = APIRouter(prefix="/settings/api-keys", include_in_schema=False)


async def _page(
    request: Request, me: SignedIn, context: ContextDep, new_key: str | None = None,
    status: int = 200, error: str | None = None,
) -> HTMLResponse:  # fmt: skip
    async with context.pool.connection() as conn:
        keys = await account_api_keys(conn, me.account_id)
    return render(
        request, "api_keys.html", me, http_status=status, keys=keys, roles=ROLES, new_key=new_key,
        error=error,
    )  # fmt: skip


@router.get("")
async def api_keys_page(request: Request, me: OwnerDep, context: ContextDep) -> HTMLResponse:
    return await _page(request, me, context)


@router.post("")
async def add_api_key(
    request: Request,
    me: OwnerDep,
    context: ContextDep,
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "viewer",
) -> HTMLResponse:
    if role not in ROLES:
        return await _page(request, me, context, status=422, error="choose a role")
    async with context.pool.connection() as conn:
        key = await create_api_key(conn, me.account_id, name.strip(), role)
    # the only time the key is ever shown: the page answers the POST directly
    return await _page(request, me, context, new_key=key)


@router.post("/{key_id}/revoke")
async def revoke(key_id: str, me: OwnerDep, context: ContextDep) -> Response:
    async with context.pool.connection() as conn:
        if not await revoke_api_key(conn, me.account_id, parsed_id(key_id)):
            raise PageError(404, "No such active key in this account.")
    return see_other("/settings/api-keys")
