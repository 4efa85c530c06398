"""Account-wide lists: incidents (open first), notifications with their outcome, and
certificates (soonest expiry first). Each refreshes live on any change in the account."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.read_model.storage.account_views import (
    account_certificates,
    account_incidents,
    account_notifications,
)
from pulsecheck.webapp.identity import ViewerDep
from pulsecheck.webapp.pages import render
from pulsecheck.webapp.routes.overview import days_left

# under /account/: the REST API owns /incidents and /notifications
router = APIRouter(include_in_schema=False)

LIST_LIMIT = 200


@router.get("/account/incidents")
async def incidents_page(request: Request, me: ViewerDep, context: ContextDep) -> HTMLResponse:
    async with context.pool.connection() as conn:
        rows = await account_incidents(conn, me.account_id, LIST_LIMIT)
    return render(request, "incidents.html", me, incidents=rows, limit=LIST_LIMIT)


@router.get("/account/notifications")
async def notifications_page(request: Request, me: ViewerDep, context: ContextDep) -> HTMLResponse:
    async with context.pool.connection() as conn:
        rows = await account_notifications(conn, me.account_id, LIST_LIMIT)
    return render(request, "notifications.html", me, notifications=rows, limit=LIST_LIMIT)


@router.get("/account/certificates")
async def certificates_page(request: Request, me: ViewerDep, context: ContextDep) -> HTMLResponse:
    now = context.clock()
    async with context.pool.connection() as conn:
        rows = await account_certificates(conn, me.account_id)
    certificates = [{**row, "days_left": days_left(row["expires"], now)} for row in rows]
    return render(request, "certificates.html", me, certificates=certificates)
