"""Managing the account's public status pages (editors), under /settings/status-pages."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.monitors import MonitorFilters
from pulsecheck.read_model.storage.overview import overview_rows
from pulsecheck.read_model.storage.status_pages import (
    Logo,
    create_status_page,
    delete_status_page,
    status_page_of,
    status_pages_of,
    update_status_page,
)
from pulsecheck.webapp.forms.fields import FormProblem
from pulsecheck.webapp.forms.status_page_form import (
    MAX_LOGO_BYTES,
    checked_logo,
    status_page_fields,
)
from pulsecheck.webapp.identity import EditorDep, PageError, SignedIn, ViewerDep
from pulsecheck.webapp.pages import render, see_other
from pulsecheck.webapp.public.cache import PublicCache

router = APIRouter(include_in_schema=False)

BASE = "/settings/status-pages"
SLUG_TAKEN = "slug: that address is taken; choose another"


def _cache(request: Request) -> PublicCache:
    cache: PublicCache = request.app.state.public_cache
    return cache


async def _websites(
    conn: Connection, me: SignedIn, now: Any, min_interval_seconds: int
) -> list[dict[str, Any]]:
    return await overview_rows(
        conn, me.account_id, MonitorFilters(), "name", now - timedelta(hours=24), 0,
        (min_interval_seconds, now),
    )  # fmt: skip


async def _page_of(conn: Connection, me: SignedIn, page_id: str) -> dict[str, Any]:
    try:
        row = await status_page_of(conn, me.account_id, uuid.UUID(page_id))
    except ValueError:
        row = None
    if row is None:
        raise PageError(404, "No such status page in this account.")
    return row


async def _logo(form: FormData) -> Logo | None:
    upload = form.get("logo")
    if not isinstance(upload, UploadFile):
        return None
    try:
        # one byte past the cap is enough to refuse it; the rest is never read into memory
        return checked_logo(await upload.read(MAX_LOGO_BYTES + 1))
    finally:
        await upload.close()  # its spooled file, now rather than at garbage collection


async def _form_page(
    request: Request, me: SignedIn, context: ContextDep, values: dict[str, Any], action: str,
    status: int = 200, error: str | None = None,
) -> HTMLResponse:  # fmt: skip
    async with context.pool.connection() as conn:
        websites = await _websites(conn, me, context.clock(), context.settings.min_interval_seconds)
    return render(
        request, "status_page_form.html", me, http_status=status, values=values, action=action,
        websites=websites, error=error, max_logo_kb=MAX_LOGO_BYTES // 1024,
    )  # fmt: skip


def _values(form: FormData) -> dict[str, Any]:
    return {
        "slug": form.get("slug", ""),
        "title": form.get("title", ""),
        "chosen": [str(v) for v in form.getlist("website")],
    }


@router.get(BASE)
async def status_pages_list(request: Request, me: ViewerDep, context: ContextDep) -> HTMLResponse:
    async with context.pool.connection() as conn:
        pages = await status_pages_of(conn, me.account_id)
    return render(request, "status_pages.html", me, pages=pages)


@router.get(f"{BASE}/new")
async def new_status_page(request: Request, me: EditorDep, context: ContextDep) -> HTMLResponse:
    values = {"slug": "", "title": "", "chosen": []}
    return await _form_page(request, me, context, values, f"{BASE}/new")


@router.post(f"{BASE}/new")
async def add_status_page(request: Request, me: EditorDep, context: ContextDep) -> Response:
    form = await request.form()
    try:
        fields, logo = status_page_fields(form), await _logo(form)
        async with context.pool.connection() as conn:
            created = await create_status_page(conn, me.account_id, fields, logo)
        if created is None:
            raise FormProblem(SLUG_TAKEN)
    except FormProblem as exc:
        return await _form_page(request, me, context, _values(form), f"{BASE}/new", 422, str(exc))
    return see_other(BASE)


@router.get(BASE + "/{page_id}/edit")
async def edit_status_page(
    page_id: str, request: Request, me: EditorDep, context: ContextDep
) -> HTMLResponse:
    async with context.pool.connection() as conn:
        page = await _page_of(conn, me, page_id)
    values = {
        "slug": page["slug"],
        "title": page["title"],
        "chosen": [str(m) for m in page["monitor_ids"]],
        "has_logo": page["logo_type"] is not None,
    }
    return await _form_page(request, me, context, values, f"{BASE}/{page['id']}/edit")


@router.post(BASE + "/{page_id}/edit")
async def change_status_page(
    page_id: str, request: Request, me: EditorDep, context: ContextDep
) -> Response:
    form = await request.form()
    action = f"{BASE}/{page_id}/edit"
    try:
        fields, logo = status_page_fields(form), await _logo(form)
        async with context.pool.connection() as conn:
            page = await _page_of(conn, me, page_id)
            if not await update_status_page(conn, me.account_id, page["id"], fields, logo):
                raise FormProblem(SLUG_TAKEN)
    except FormProblem as exc:
        return await _form_page(request, me, context, _values(form), action, 422, str(exc))
    _cache(request).drop_account(me.account_id)
    return see_other(BASE)


@router.post(BASE + "/{page_id}/delete")
async def remove_status_page(
    page_id: str, request: Request, me: EditorDep, context: ContextDep
) -> Response:
    async with context.pool.connection() as conn:
        page = await _page_of(conn, me, page_id)
        await delete_status_page(conn, me.account_id, page["id"])
    _cache(request).drop_account(me.account_id)
    return see_other(BASE)
