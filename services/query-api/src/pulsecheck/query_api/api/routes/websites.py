"""`/websites`: register, list, read, change and remove monitors."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from pulsecheck.query_api.api.deps import AccountDep, ContextDep, PoolDep, SettingsDep
from pulsecheck.query_api.api.errors import ApiError, invalid, not_found
from pulsecheck.query_api.api.merge_patch import MERGE_PATCH
from pulsecheck.query_api.api.monitor_batches import register_monitors
from pulsecheck.query_api.api.monitor_commands import (
    register_monitor,
    remove_monitor,
    update_monitor,
)
from pulsecheck.query_api.api.page_params import (
    CursorQuery,
    LimitQuery,
    cursor_with_uuid_key,
    page_limit,
)
from pulsecheck.query_api.api.schemas.monitors import (
    MonitorCreate,
    MonitorPublic,
    MonitorsCreate,
    MonitorsCreated,
    MonitorsPage,
    MonitorStatus,
    MonitorUpdate,
)
from pulsecheck.query_api.ping_tokens import new_ping_token
from pulsecheck.read_model.pagination import CursorPosition, encode_cursor
from pulsecheck.read_model.region_status import StatusByRegion
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.dns_answers import dns_answers_of
from pulsecheck.read_model.storage.monitors import (
    MonitorFilters,
    get_monitor,
    list_monitors,
    uptime_percent_since,
)
from pulsecheck.read_model.storage.overview import uptime_percents_since
from pulsecheck.read_model.storage.ping_tokens import PingTarget
from pulsecheck.read_model.storage.region_latest import statuses_of
from pulsecheck.shared.sealing_headers import masked_headers

router = APIRouter(prefix="/websites", tags=["websites"])


def monitor_public(
    row: dict[str, Any],
    uptime_24h: float | None,
    judged: StatusByRegion,
    dns_answers: list[dict[str, Any]],
) -> MonitorPublic:
    spec = row["spec"]
    # sealed header credentials are shown as a mask: the API cannot open them, nor should it
    http = {**spec["http"], "headers": masked_headers(spec["http"]["headers"])}
    return MonitorPublic.model_validate(
        {
            **{k: v for k, v in spec.items() if k not in ("monitor_id", "account_id")},
            "http": http,
            "id": row["id"],
            "active": not spec["paused"],
            "status": judged.overall,
            "region_status": [asdict(region) for region in judged.regions],
            "last_checked_at": row["last_checked_at"],
            "last_latency_ms": row["last_latency_ms"],
            "last_error": row["last_error"],
            "cert_expires_at": row["cert_expires_at"],
            "cert_valid": row["cert_valid"],
            "uptime_24h": uptime_24h,
            "dns_answers": dns_answers,
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
    )


async def _read_one(
    context: ContextDep, conn: Connection, account: uuid.UUID, website_id: uuid.UUID
) -> MonitorPublic:
    row = await get_monitor(conn, account, website_id)
    if row is None:
        raise not_found("website")
    now = context.clock()
    judged = await statuses_of(conn, [row], context.settings.min_interval_seconds, now)
    uptime = await uptime_percent_since(conn, website_id, now - timedelta(hours=24))
    answers = await dns_answers_of(conn, [website_id])
    return monitor_public(row, uptime, judged[website_id], answers.get(website_id, []))


@router.post("", status_code=201, response_model=MonitorPublic)
async def create_website(
    body: MonitorCreate, account: AccountDep, context: ContextDep, pool: PoolDep
) -> MonitorPublic:
    fields = body.model_dump(mode="json")
    token = None
    if "heartbeat" in body.check_kinds:
        token, fields["ping_token_sha256"] = new_ping_token()
    monitor_id = await register_monitor(context, account, fields)
    async with pool.connection() as conn:
        created = await _read_one(context, conn, account, monitor_id)
    if token is None:
        return created
    context.ping_tokens.remember(fields["ping_token_sha256"], PingTarget(monitor_id, account))
    # the only time the token is shown: PulseCheck keeps its hash alone
    return created.model_copy(update={"ping_token": token})


@router.post(":batch", status_code=201, response_model=MonitorsCreated)
async def create_websites(
    body: MonitorsCreate, account: AccountDep, context: ContextDep
) -> MonitorsCreated:
    """All or nothing: a refusal names the first item that breaks a rule, and nothing is
    published. Heartbeats are registered one at a time (their token is shown only once)."""
    for index, website in enumerate(body.websites):
        if "heartbeat" in website.check_kinds:
            raise invalid(
                f"websites[{index}]: register heartbeat monitors one at a time with POST"
                " /websites (their ping token is shown once)",
                field=f"websites.{index}.check_kinds", index=index,
            )  # fmt: skip
    fields = [website.model_dump(mode="json") for website in body.websites]
    return MonitorsCreated(ids=await register_monitors(context, account, fields))


@router.get("", response_model=MonitorsPage)
async def list_websites(
    account: AccountDep,
    context: ContextDep,
    pool: PoolDep,
    settings: SettingsDep,
    limit: LimitQuery = None,
    cursor: CursorQuery = None,
    active: bool | None = None,
    status: Annotated[
        MonitorStatus | None, Query(description="the overall status, as each item's `status`")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="part of name or URL")] = None,
) -> MonitorsPage:
    size = page_limit(limit, settings)
    after = cursor_with_uuid_key(cursor)
    now = context.clock()
    async with pool.connection() as conn:
        page, judged, more = await _judged_page(
            conn, account, MonitorFilters(active=active, q=q), status, after, size, now,
            settings.min_interval_seconds,
        )  # fmt: skip
        ids = [row["id"] for row in page]
        uptimes = await uptime_percents_since(conn, ids, now - timedelta(hours=24))
        answers = await dns_answers_of(conn, ids)
    next_cursor = None
    if more:
        last = page[-1]
        next_cursor = encode_cursor(CursorPosition(last["created_at"], str(last["id"])))
    data = [
        monitor_public(row, uptimes.get(row["id"]), judged[row["id"]], answers.get(row["id"], []))
        for row in page
    ]
    return MonitorsPage(data=data, next_cursor=next_cursor)


async def _judged_page(
    conn: Connection,
    account: uuid.UUID,
    filters: MonitorFilters,
    status: str | None,
    after: tuple[CursorPosition, uuid.UUID] | None,
    size: int,
    now: datetime,
    min_interval_seconds: int,
) -> tuple[list[dict[str, Any]], dict[uuid.UUID, StatusByRegion], bool]:
    """A page of `size` monitors with their judged status, and whether more follow. The
    overall status is judged here, at `now`, so a `status` filter reads on until the page is
    full or the account's monitors run out."""
    page: list[dict[str, Any]] = []
    judged: dict[uuid.UUID, StatusByRegion] = {}
    while True:
        rows = await list_monitors(
            conn, account, filters, after[0] if after else None, after[1] if after else None,
            size + 1,
        )  # fmt: skip
        found = await statuses_of(conn, rows, min_interval_seconds, now)
        for row in rows:
            if status is None or found[row["id"]].overall == status:
                if len(page) == size:
                    return page, judged, True
                page.append(row)
                judged[row["id"]] = found[row["id"]]
        if len(rows) <= size:
            return page, judged, False
        last = rows[-1]
        after = (CursorPosition(last["created_at"], str(last["id"])), last["id"])


@router.get("/{website_id}", response_model=MonitorPublic)
async def read_website(
    website_id: uuid.UUID, account: AccountDep, context: ContextDep, pool: PoolDep
) -> MonitorPublic:
    async with pool.connection() as conn:
        return await _read_one(context, conn, account, website_id)


# the nested models it names are in the document already (MonitorCreate uses them all)
_PATCH_SCHEMA = {
    k: v
    for k, v in MonitorUpdate.model_json_schema(ref_template="#/components/schemas/{model}").items()
    if k != "$defs"
}


@router.patch(
    "/{website_id}",
    response_model=MonitorPublic,
    description=(
        "A JSON Merge Patch (RFC 7396) of the website: nested objects such as `alert_rules` "
        "and `http` merge field by field, `null` resets a field to its default, lists "
        "replace. `application/json` is read the same way."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                MERGE_PATCH: {"schema": _PATCH_SCHEMA},
                "application/json": {"schema": _PATCH_SCHEMA},
            },
        }
    },
)
async def change_website(
    website_id: uuid.UUID,
    request: Request,
    account: AccountDep,
    context: ContextDep,
    pool: PoolDep,
) -> MonitorPublic:
    patch = await patch_body(request)
    await update_monitor(context, account, website_id, patch)
    async with pool.connection() as conn:
        return await _read_one(context, conn, account, website_id)


async def patch_body(request: Request) -> dict[str, Any]:
    """The merge patch: a JSON object naming only fields a website has."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in (MERGE_PATCH, "application/json"):
        raise ApiError(415, "unsupported_media_type", f"send {MERGE_PATCH} or application/json")
    try:
        patch = json.loads(await request.body())
    except ValueError as exc:
        raise invalid("the body is not JSON") from exc
    if not isinstance(patch, dict):
        raise invalid("a merge patch of a website is a JSON object")
    unknown = sorted(set(patch) - set(MonitorUpdate.model_fields))
    if unknown:
        raise invalid(f"not a field of a website: {', '.join(unknown)}", field=unknown[0])
    return patch


@router.delete("/{website_id}", status_code=204, response_class=Response)
async def delete_website(
    website_id: uuid.UUID, account: AccountDep, context: ContextDep, pool: PoolDep
) -> Response:
    await remove_monitor(context, account, website_id)
    return Response(status_code=204)
