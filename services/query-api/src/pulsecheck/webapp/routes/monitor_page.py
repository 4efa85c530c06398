"""`/monitors/<id>`: one website, the page every alert links to."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.read_model.storage.alerts import incident_page
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.logs import LogQuery, ssl_log_page, uptime_log_page
from pulsecheck.read_model.storage.monitors import get_monitor
from pulsecheck.webapp.identity import PageError, SignedIn, ViewerDep
from pulsecheck.webapp.pages import render
from pulsecheck.webapp.routes.overview import days_left

router = APIRouter(include_in_schema=False)

RECENT = 20


def parsed_id(text: str) -> uuid.UUID:
    """A path id, or the same 404 page an unknown website gets."""
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise PageError(404, "No such website in this account.") from exc


async def website_of(conn: Connection, me: SignedIn, text: str) -> dict[str, Any]:
    row = await get_monitor(conn, me.account_id, parsed_id(text))
    if row is None:
        raise PageError(404, "No such website in this account.")
    return row


@router.get("/monitors/{monitor_id}")
async def website_page(
    monitor_id: str, request: Request, me: ViewerDep, context: ContextDep
) -> HTMLResponse:
    async with context.pool.connection() as conn:
        website = await website_of(conn, me, monitor_id)
        checks = await uptime_log_page(conn, LogQuery(website["id"], RECENT))
        certificates = await ssl_log_page(conn, LogQuery(website["id"], 1))
        incidents = await incident_page(conn, me.account_id, website["id"], None, None, RECENT)
    certificate = certificates[0] if certificates else None
    now = context.clock()
    return render(
        request, "monitor.html", me, website=website, spec=website["spec"], checks=checks,
        certificate=certificate, incidents=incidents,
        cert_days_left=days_left(website["cert_expires_at"], now),
    )  # fmt: skip
