"""A website's checks as CSV (streamed, bounded) and its public badge token."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.read_model.storage.badge_tokens import badge_token_for
from pulsecheck.read_model.storage.website_history import (
    CSV_COLUMNS,
    UPTIME_WINDOWS,
    checks_for_export,
)
from pulsecheck.webapp.identity import EditorDep, ViewerDep
from pulsecheck.webapp.pages import see_other
from pulsecheck.webapp.routes.monitor_page import chosen_window, website_of

router = APIRouter(include_in_schema=False)

# 90 days of one-minute checks from three regions is about 390,000 rows; past this, cut
MAX_ROWS = 500_000
ROWS_PER_CHUNK = 500


@router.get("/monitors/{monitor_id}/checks.csv")
async def export_checks(
    monitor_id: str, me: ViewerDep, context: ContextDep, window: str = "24h"
) -> Response:
    window = chosen_window(window)
    async with context.pool.connection() as conn:
        website = await website_of(conn, me, monitor_id)
    since = context.clock() - UPTIME_WINDOWS[window]

    async def lines() -> AsyncIterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        # its own connection for as long as the download lasts, given back when it ends
        async with context.pool.connection() as conn:
            count = 0
            async for row in checks_for_export(conn, website["id"], since, MAX_ROWS):
                writer.writerow(["" if value is None else value for value in row])
                count += 1
                if count % ROWS_PER_CHUNK == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
        yield buffer.getvalue()

    filename = f"checks-{website['id']}-{window}.csv"
    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/monitors/{monitor_id}/badge")
async def make_badge_token(monitor_id: str, me: EditorDep, context: ContextDep) -> Response:
    async with context.pool.connection() as conn:
        website = await website_of(conn, me, monitor_id)
        await badge_token_for(conn, me.account_id, website["id"])
    return see_other(f"/monitors/{website['id']}#badges-h")
