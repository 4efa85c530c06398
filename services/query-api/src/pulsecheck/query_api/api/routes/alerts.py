"""`/incidents`, `/websites/{id}/incidents` and `/notifications`."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from pulsecheck.query_api.api.deps import AccountDep, PoolDep, SettingsDep
from pulsecheck.query_api.api.errors import not_found
from pulsecheck.query_api.api.page_params import (
    CursorQuery,
    LimitQuery,
    cursor_with_int_key,
    cursor_with_text_key,
    page_limit,
)
from pulsecheck.query_api.api.schemas.alerts import (
    IncidentPublic,
    IncidentsPage,
    IncidentState,
    NotificationPublic,
    NotificationsPage,
)
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.pagination import CursorPosition, encode_cursor
from pulsecheck.read_model.storage.alerts import incident_page, notification_page
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.read_model.storage.monitors import monitor_exists

router = APIRouter(tags=["alerts"])


def _with_website(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "website_id": str(row["monitor_id"])}


async def _incidents(
    pool: Pool,
    settings: QueryApiSettings,
    account: uuid.UUID,
    website_id: uuid.UUID | None,
    state: str | None,
    limit: int | None,
    cursor: str | None,
) -> IncidentsPage:
    size = page_limit(limit, settings)
    position = cursor_with_text_key(cursor)
    after = (position.at, position.key) if position else None
    async with pool.connection() as conn:
        if website_id is not None and not await monitor_exists(conn, account, website_id):
            raise not_found("website")
        rows = await incident_page(conn, account, website_id, state, after, size + 1)
    next_cursor = None
    if len(rows) > size:
        last = rows[size - 1]
        next_cursor = encode_cursor(CursorPosition(last["opened_at"], last["id"]))
    data = [IncidentPublic.model_validate(_with_website(r)) for r in rows[:size]]
    return IncidentsPage(data=data, next_cursor=next_cursor)


@router.get("/incidents", response_model=IncidentsPage)
async def list_incidents(
    account: AccountDep,
    pool: PoolDep,
    settings: SettingsDep,
    state: IncidentState | None = None,
    limit: LimitQuery = None,
    cursor: CursorQuery = None,
) -> IncidentsPage:
    return await _incidents(pool, settings, account, None, state, limit, cursor)


@router.get("/websites/{website_id}/incidents", response_model=IncidentsPage)
async def website_incidents(
    website_id: uuid.UUID,
    account: AccountDep,
    pool: PoolDep,
    settings: SettingsDep,
    state: IncidentState | None = None,
    limit: LimitQuery = None,
    cursor: CursorQuery = None,
) -> IncidentsPage:
    return await _incidents(pool, settings, account, website_id, state, limit, cursor)


@router.get("/notifications", response_model=NotificationsPage)
async def list_notifications(
    account: AccountDep,
    pool: PoolDep,
    settings: SettingsDep,
    website_id: uuid.UUID | None = None,
    limit: LimitQuery = None,
    cursor: CursorQuery = None,
) -> NotificationsPage:
    size = page_limit(limit, settings)
    position = cursor_with_int_key(cursor)
    after = (position[0].at, position[1]) if position else None
    async with pool.connection() as conn:
        rows = await notification_page(conn, account, website_id, after, size + 1)
    next_cursor = None
    if len(rows) > size:
        last = rows[size - 1]
        next_cursor = encode_cursor(CursorPosition(last["at"], str(last["id"])))
    data = [NotificationPublic.model_validate(_with_website(r)) for r in rows[:size]]
    return NotificationsPage(data=data, next_cursor=next_cursor)
