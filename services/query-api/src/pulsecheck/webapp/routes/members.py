"""`/settings/members`: who belongs to the account, and owners' one-time invite links."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.read_model.storage.invites import INVITE_LIFETIME, create_invite, pending_invites
from pulsecheck.read_model.storage.roles import ROLES
from pulsecheck.read_model.storage.users import account_members
from pulsecheck.webapp.identity import OwnerDep, SignedIn, ViewerDep
from pulsecheck.webapp.pages import render

router = APIRouter(prefix="/settings/members", include_in_schema=False)


async def _page(
    request: Request, me: SignedIn, context: ContextDep, invite_link: str | None = None,
    status: int = 200, error: str | None = None,
) -> HTMLResponse:  # fmt: skip
    async with context.pool.connection() as conn:
        members = await account_members(conn, me.account_id)
        invites = await pending_invites(conn, me.account_id, context.clock())
    return render(
        request, "members.html", me, http_status=status, members=members, invites=invites,
        roles=ROLES, invite_link=invite_link, error=error,
        invite_days=INVITE_LIFETIME // timedelta(days=1),
    )  # fmt: skip


@router.get("")
async def members_page(request: Request, me: ViewerDep, context: ContextDep) -> HTMLResponse:
    return await _page(request, me, context)


@router.post("/invites")
async def invite(
    request: Request,
    me: OwnerDep,
    context: ContextDep,
    role: Annotated[str, Form(max_length=20)] = "viewer",
) -> HTMLResponse:
    if role not in ROLES:
        return await _page(request, me, context, status=422, error="choose a role")
    async with context.pool.connection() as conn:
        token = await create_invite(
            conn,
            me.account_id,
            role,
            context.clock() + INVITE_LIFETIME,
        )
    # shown once, like an API key: only the token's hash is stored
    link = str(request.base_url).rstrip("/") + f"/invite/{token}"
    return await _page(request, me, context, invite_link=link)
