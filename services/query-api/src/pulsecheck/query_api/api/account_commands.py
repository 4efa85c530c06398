"""Ending an account: the one home of what `DELETE /account` and `pulsecheck-admin
delete-account` do.

Each monitor and channel is removed through its event (and tombstone), exactly as a single
DELETE does, so the scheduler stops scheduling and the notifier stops sending at once; then
the account row goes, and with it every key, membership and invite.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pulsecheck.query_api.api.channel_commands import remove_channel
from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.monitor_commands import remove_monitor
from pulsecheck.read_model.storage.accounts import delete_account_row, live_resources


@dataclass(frozen=True)
class EndedAccount:
    monitors: int
    channels: int
    # False: there was no such account row (already ended, or never made)
    row_deleted: bool


async def end_account(context: AppContext, account_id: uuid.UUID) -> EndedAccount:
    async with context.pool.connection() as conn:
        monitors, channels = await live_resources(conn, account_id)
    # a failure part-way leaves the account in place: repeating the command finishes it; each
    # removal borrows its own connection, none is held while publishing
    for monitor_id in monitors:
        await remove_monitor(context, account_id, monitor_id)
    for channel_id in channels:
        await remove_channel(context, account_id, channel_id)
    async with context.pool.connection() as conn:
        deleted = await delete_account_row(conn, account_id)
    return EndedAccount(len(monitors), len(channels), deleted)
