"""`DELETE /account`: an owner ends the account.

Each monitor and channel is removed through its event (and tombstone), exactly as a single
DELETE does, so the scheduler stops scheduling and the notifier stops sending at once; then
the account row goes, and with it every key, membership and invite.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from pulsecheck.query_api.api.channel_commands import remove_channel
from pulsecheck.query_api.api.deps import ContextDep, KeyDep
from pulsecheck.query_api.api.monitor_commands import remove_monitor
from pulsecheck.query_api.api.routes.api_keys import owner_only
from pulsecheck.read_model.storage.accounts import delete_account_row, live_resources

router = APIRouter(prefix="/account", tags=["account"])


@router.delete("", status_code=204)
async def delete_account(key: KeyDep, context: ContextDep) -> Response:
    account = owner_only(key)
    async with context.pool.connection() as conn:
        monitors, channels = await live_resources(conn, account)
    # a failure part-way leaves the account in place: repeating the DELETE finishes it; each
    # removal borrows its own connection, none is held while publishing
    for monitor_id in monitors:
        await remove_monitor(context, account, monitor_id)
    for channel_id in channels:
        await remove_channel(context, account, channel_id)
    async with context.pool.connection() as conn:
        await delete_account_row(conn, account)
    return Response(status_code=204)
