"""`/channels`: where an account's alerts go. A webhook's signing secret is generated and shown
once (create, rotate-secret); targets are shown masked by their channel's own rule."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response

from pulsecheck.channels.registry import masked_target
from pulsecheck.query_api.api.channel_commands import (
    change_channel,
    configure_channel,
    remove_channel,
    request_test,
    rotate_secret,
)
from pulsecheck.query_api.api.deps import AccountDep, ContextDep, PoolDep, SettingsDep
from pulsecheck.query_api.api.errors import not_found
from pulsecheck.query_api.api.page_params import (
    CursorQuery,
    LimitQuery,
    cursor_with_uuid_key,
    page_limit,
)
from pulsecheck.query_api.api.schemas.channels import (
    ChannelCreate,
    ChannelPublic,
    ChannelsPage,
    ChannelTestAccepted,
    ChannelUpdate,
    ChannelWithSecret,
)
from pulsecheck.read_model.pagination import CursorPosition, encode_cursor
from pulsecheck.read_model.storage.channels import channel_page, get_channel
from pulsecheck.read_model.storage.connection import Connection

router = APIRouter(prefix="/channels", tags=["channels"])


def channel_public(row: dict[str, Any]) -> ChannelPublic:
    return ChannelPublic(
        id=row["id"],
        kind=row["kind"],
        name=row["name"],
        # a sealed target cannot be masked here: the mask made when it was sealed
        target=row["target_masked"] or masked_target(row["kind"], row["target"]),
        has_secret=row["secret"] is not None,
        enabled=row["enabled"],
        event_types=row["event_types"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


async def _read(conn: Connection, account: uuid.UUID, channel_id: uuid.UUID) -> ChannelPublic:
    row = await get_channel(conn, account, channel_id)
    if row is None:
        raise not_found("channel")
    return channel_public(row)


@router.post("", status_code=201, response_model=ChannelWithSecret)
async def create_channel(
    body: ChannelCreate, account: AccountDep, context: ContextDep, pool: PoolDep
) -> ChannelWithSecret:
    channel_id, secret = await configure_channel(context, account, body.model_dump())
    async with pool.connection() as conn:
        public = await _read(conn, account, channel_id)
    return ChannelWithSecret(**public.model_dump(), secret=secret)


@router.post("/{channel_id}/rotate-secret", response_model=ChannelWithSecret)
async def rotate_channel_secret(
    channel_id: uuid.UUID, account: AccountDep, context: ContextDep, pool: PoolDep
) -> ChannelWithSecret:
    """A new signing secret, shown once; the old one keeps signing until the overlap ends."""
    secret = await rotate_secret(context, account, channel_id)
    async with pool.connection() as conn:
        row = await get_channel(conn, account, channel_id)
    if row is None:
        raise not_found("channel")
    return ChannelWithSecret(
        **channel_public(row).model_dump(),
        secret=secret,
        previous_secret_valid_until=row["previous_secret_until"],
    )


@router.post("/{channel_id}/test", status_code=202, response_model=ChannelTestAccepted)
async def send_test(
    channel_id: uuid.UUID, account: AccountDep, context: ContextDep
) -> ChannelTestAccepted:
    """Sends a test notice through the channel's real provider (one per 10 s per channel); its
    outcome is the channel's newest notification."""
    test_id, request = await request_test(context, account, channel_id)
    return ChannelTestAccepted(
        test_id=test_id, channel_id=channel_id, requested_at=request.requested_at
    )


@router.get("", response_model=ChannelsPage)
async def list_channels(
    account: AccountDep,
    pool: PoolDep,
    settings: SettingsDep,
    limit: LimitQuery = None,
    cursor: CursorQuery = None,
) -> ChannelsPage:
    size = page_limit(limit, settings)
    position = cursor_with_uuid_key(cursor)
    after = (position[0].at, position[1]) if position else None
    async with pool.connection() as conn:
        rows = await channel_page(conn, account, after, size + 1)
    next_cursor = None
    if len(rows) > size:
        last = rows[size - 1]
        next_cursor = encode_cursor(CursorPosition(last["created_at"], str(last["id"])))
    return ChannelsPage(data=[channel_public(r) for r in rows[:size]], next_cursor=next_cursor)


@router.get("/{channel_id}", response_model=ChannelPublic)
async def read_channel(channel_id: uuid.UUID, account: AccountDep, pool: PoolDep) -> ChannelPublic:
    async with pool.connection() as conn:
        return await _read(conn, account, channel_id)


@router.patch("/{channel_id}", response_model=ChannelPublic)
async def update_channel(
    channel_id: uuid.UUID,
    body: ChannelUpdate,
    account: AccountDep,
    context: ContextDep,
    pool: PoolDep,
) -> ChannelPublic:
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    await change_channel(context, account, channel_id, changes)
    async with pool.connection() as conn:
        return await _read(conn, account, channel_id)


@router.delete("/{channel_id}", status_code=204, response_class=Response)
async def delete_channel(
    channel_id: uuid.UUID, account: AccountDep, context: ContextDep, pool: PoolDep
) -> Response:
    await remove_channel(context, account, channel_id)
    return Response(status_code=204)
