"""`/settings/channels`: where alerts go, with how each channel's last delivery went."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from pulsecheck.channels.registry import masked_target, spec_of
from pulsecheck.query_api.api.channel_commands import (
    change_channel,
    configure_channel,
    remove_channel,
    request_test,
    rotate_secret,
)
from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.query_api.api.errors import ApiError
from pulsecheck.query_api.api.schemas.channels import ChannelCreate, ChannelUpdate
from pulsecheck.read_model.storage.channels import channel_page, get_channel
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.deliveries import last_delivery_by_channel
from pulsecheck.webapp.forms.channel_form import CHANNEL_KINDS, channel_fields
from pulsecheck.webapp.identity import EditorDep, PageError, SignedIn, ViewerDep
from pulsecheck.webapp.pages import render, see_other
from pulsecheck.webapp.routes.monitor_forms import problem_text
from pulsecheck.webapp.routes.monitor_page import parsed_id

router = APIRouter(prefix="/settings/channels", include_in_schema=False)

MAX_CHANNELS = 500


async def _channel(conn: Connection, me: SignedIn, text: str) -> dict[str, Any]:
    row = await get_channel(conn, me.account_id, parsed_id(text))
    if row is None:
        raise PageError(404, "No such channel in this account.")
    return row


def _form_page(
    request: Request, me: SignedIn, values: dict[str, Any], action: str,
    channel: dict[str, Any] | None = None, status: int = 200, error: str | None = None,
) -> HTMLResponse:  # fmt: skip
    rotatable = channel is not None and spec_of(channel["kind"]).config.GENERATES_SECRET
    return render(
        request, "channel_form.html", me, http_status=status, values=values, action=action,
        channel=channel, kinds=CHANNEL_KINDS, error=error, rotatable=rotatable,
    )  # fmt: skip


def _secret_page(
    request: Request, me: SignedIn, name: str, secret: str, overlap_until: Any = None
) -> HTMLResponse:
    # the API cannot read a stored secret back: this answer is the only time it is shown (the
    # page is no-store like every page)
    return render(
        request, "channel_secret.html", me,
        channel_name=name, secret=secret, overlap_until=overlap_until,
    )  # fmt: skip


@router.get("")
async def channels_page(
    request: Request, me: ViewerDep, context: ContextDep, tested: str | None = None
) -> HTMLResponse:
    async with context.pool.connection() as conn:
        rows = await channel_page(conn, me.account_id, None, MAX_CHANNELS)
        deliveries = await last_delivery_by_channel(conn, me.account_id)
    channels = [
        {**row, "masked_target": row["target_masked"] or masked_target(row["kind"], row["target"]),
         "last_delivery": deliveries.get(str(row["id"]))}
        for row in rows
    ]  # fmt: skip
    tested_name = next((c["name"] for c in channels if str(c["id"]) == tested), None)
    return render(request, "channels.html", me, channels=channels, tested=tested_name)


@router.get("/new")
async def new_channel_page(request: Request, me: EditorDep) -> HTMLResponse:
    values = {"kind": "slack", "enabled": True}
    return _form_page(request, me, values, "/settings/channels/new")


@router.post("/new")
async def add_channel(request: Request, me: EditorDep, context: ContextDep) -> Response:
    form = await request.form()
    try:
        body = ChannelCreate.model_validate(channel_fields(form, creating=True))
        _, secret = await configure_channel(context, me.account_id, body.model_dump())
    except (ValidationError, ApiError) as exc:
        message = problem_text(exc) if isinstance(exc, ValidationError) else str(exc)
        values = {**dict(form), "enabled": "enabled" in form}
        return _form_page(request, me, values, "/settings/channels/new", None, 422, message)
    if secret is not None:
        return _secret_page(request, me, body.name, secret)
    return see_other("/settings/channels")


@router.get("/{channel_id}/edit")
async def edit_channel_page(
    channel_id: str, request: Request, me: EditorDep, context: ContextDep
) -> HTMLResponse:
    async with context.pool.connection() as conn:
        channel = await _channel(conn, me, channel_id)
    values = {
        "name": channel["name"], "enabled": channel["enabled"],
        "masked_target": channel["target_masked"]
        or masked_target(channel["kind"], channel["target"]),
        "event_types": ", ".join(channel["event_types"]),
    }  # fmt: skip
    return _form_page(request, me, values, f"/settings/channels/{channel['id']}/edit", channel)


@router.post("/{channel_id}/edit")
async def edit_channel(
    channel_id: str, request: Request, me: EditorDep, context: ContextDep
) -> Response:
    form = await request.form()
    async with context.pool.connection() as conn:
        channel = await _channel(conn, me, channel_id)
    try:
        body = ChannelUpdate.model_validate(channel_fields(form, creating=False))
        changes = body.model_dump(exclude_unset=True)
        await change_channel(context, me.account_id, channel["id"], changes)
    except (ValidationError, ApiError) as exc:
        message = problem_text(exc) if isinstance(exc, ValidationError) else str(exc)
        values = {**dict(form), "enabled": "enabled" in form}
        action = f"/settings/channels/{channel['id']}/edit"
        return _form_page(request, me, values, action, channel, 422, message)
    return see_other("/settings/channels")


@router.post("/{channel_id}/test")
async def send_test(channel_id: str, me: EditorDep, context: ContextDep) -> Response:
    """A plain form POST (works with JavaScript off): back to the list, where the channel's
    last delivery shows the test's outcome once the notifier reports it."""
    async with context.pool.connection() as conn:
        channel = await _channel(conn, me, channel_id)
    await request_test(context, me.account_id, channel["id"])
    return see_other(f"/settings/channels?tested={channel['id']}")


@router.post("/{channel_id}/rotate-secret")
async def rotate_channel_secret(
    channel_id: str, request: Request, me: EditorDep, context: ContextDep
) -> Response:
    async with context.pool.connection() as conn:
        channel = await _channel(conn, me, channel_id)
    if not spec_of(channel["kind"]).config.GENERATES_SECRET:
        raise PageError(409, f"A {channel['kind']} channel has no signing secret.")
    secret = await rotate_secret(context, me.account_id, channel["id"])
    async with context.pool.connection() as conn:
        rotated = await _channel(conn, me, channel_id)
    return _secret_page(request, me, channel["name"], secret, rotated["previous_secret_until"])


@router.get("/{channel_id}/delete")
async def confirm_delete_page(
    channel_id: str, request: Request, me: EditorDep, context: ContextDep
) -> HTMLResponse:
    async with context.pool.connection() as conn:
        channel = await _channel(conn, me, channel_id)
    return render(request, "channel_delete.html", me, channel=channel)


@router.post("/{channel_id}/delete")
async def delete_channel(channel_id: str, me: EditorDep, context: ContextDep) -> Response:
    async with context.pool.connection() as conn:
        channel = await _channel(conn, me, channel_id)
    await remove_channel(context, me.account_id, channel["id"])
    return see_other("/settings/channels")
