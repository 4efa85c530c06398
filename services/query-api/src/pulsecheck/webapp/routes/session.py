"""Sign in, sign out, accept an invite, change one's password."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.invites import accept_invite, open_invite
from pulsecheck.read_model.storage.users import (
    create_user,
    first_membership,
    password_hash_of,
    set_password_hash,
    user_by_email,
)
from pulsecheck.read_model.storage.web_sessions import (
    end_other_sessions,
    end_session,
    start_session,
)
from pulsecheck.webapp.csrf import csrf_passes
from pulsecheck.webapp.identity import PageError, ViewerDep
from pulsecheck.webapp.pages import render, see_other
from pulsecheck.webapp.passwords import hash_password, password_problem, verify_password
from pulsecheck.webapp.routes.cookies import (
    clear_session_cookie,
    set_csrf_cookie,
    set_session_cookie,
    signed_out_csrf,
)

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form(max_length=400)]


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never `//host` or a full URL (an open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _signed_out_page(
    request: Request, context: AppContext, template: str, status: int = 200, **values: Any
) -> HTMLResponse:
    token, fresh = signed_out_csrf(request)
    page = render(request, template, None, http_status=status, csrf_token=token, **values)
    if fresh:
        set_csrf_cookie(page, token, context.settings)
    return page


def _spent_invite() -> PageError:
    return PageError(404, "This invite link was already used, has expired, or never existed.")


async def _require_csrf(request: Request) -> None:
    if not await csrf_passes(request):
        raise PageError(403, "The form was stale or forged (CSRF check failed). Reload and retry.")


async def _signed_in_response(
    context: AppContext,
    conn: Connection,
    user_id: uuid.UUID,
    account_id: uuid.UUID,
    target: str,
) -> Response:
    expires = context.clock() + timedelta(hours=context.settings.session_hours)
    token = await start_session(conn, user_id, account_id, expires)
    response = see_other(target)
    set_session_cookie(response, token, context.settings)
    return response


@router.get("/sign-in")
async def sign_in_page(request: Request, context: ContextDep, next: str = "/") -> HTMLResponse:
    return _signed_out_page(request, context, "sign_in.html", next=_safe_next(next))


@router.post("/sign-in")
async def sign_in(
    request: Request,
    context: ContextDep,
    email: FormText,
    password: FormText,
    next: Annotated[str, Form(max_length=400)] = "/",
) -> Response:
    await _require_csrf(request)
    async with context.pool.connection() as conn:
        user = await user_by_email(conn, email.strip())
        matched = await verify_password(user["password_hash"] if user else None, password)
        account_id = await first_membership(conn, user["id"]) if user and matched else None
        if user is None or account_id is None:
            return _signed_out_page(
                request, context, "sign_in.html", status=401, next=_safe_next(next),
                error="That email and password do not match an account.", email=email,
            )  # fmt: skip
        return await _signed_in_response(context, conn, user["id"], account_id, _safe_next(next))


@router.post("/sign-out")
async def sign_out(me: ViewerDep, context: ContextDep) -> Response:
    async with context.pool.connection() as conn:
        await end_session(conn, me.session_token)
    response = see_other("/sign-in")
    clear_session_cookie(response, context.settings)
    return response


@router.get("/invite/{token}")
async def invite_page(token: str, request: Request, context: ContextDep) -> HTMLResponse:
    async with context.pool.connection() as conn:
        invite = await open_invite(conn, token[:100], context.clock())
    if invite is None:
        raise _spent_invite()
    return _signed_out_page(request, context, "invite.html", invite=invite, token=token)


@router.post("/invite/{token}")
async def accept(
    token: str,
    request: Request,
    context: ContextDep,
    email: FormText,
    password: FormText,
    password_again: FormText,
) -> Response:
    await _require_csrf(request)
    email = email.strip()
    problem = password_problem(password)
    if problem is None and password != password_again:
        problem = "the two passwords differ"
    if problem is None and ("@" not in email or not 3 <= len(email) <= 320):
        problem = "enter an email address"
    async with context.pool.connection() as conn:
        invite = await open_invite(conn, token[:100], context.clock())
        if invite is None:
            raise _spent_invite()
        # the user and the spent invite commit together, or neither does
        async with conn.transaction():
            user_id = None
            if problem is None:
                user_id = await create_user(conn, email, await hash_password(password))
                if user_id is None:
                    problem = "that email already has a user: sign in, or use another address"
            if problem is not None or user_id is None:
                return _signed_out_page(
                    request, context, "invite.html", status=422, invite=invite, token=token,
                    error=problem, email=email,
                )  # fmt: skip
            account_id = await accept_invite(conn, token[:100], user_id, context.clock())
            if account_id is None:
                raise PageError(409, "This invite was used a moment ago by someone else.")
        return await _signed_in_response(context, conn, user_id, account_id, "/")


@router.get("/settings/password")
async def password_page(request: Request, me: ViewerDep) -> HTMLResponse:
    return render(request, "password.html", me)


@router.post("/settings/password")
async def change_password(
    request: Request,
    me: ViewerDep,
    context: ContextDep,
    current: FormText,
    password: FormText,
    password_again: FormText,
) -> Response:
    problem = password_problem(password)
    if problem is None and password != password_again:
        problem = "the two new passwords differ"
    async with context.pool.connection() as conn:
        if problem is None and not await verify_password(
            await password_hash_of(conn, me.user_id), current
        ):
            problem = "the current password is not right"
        if problem is not None:
            return render(request, "password.html", me, http_status=422, error=problem)
        await set_password_hash(conn, me.user_id, await hash_password(password))
        await end_other_sessions(conn, me.user_id, me.session_token)
    return render(request, "password.html", me, notice="Password changed; other sessions ended.")
