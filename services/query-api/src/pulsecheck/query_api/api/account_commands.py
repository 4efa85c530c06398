"""Ending and suspending an account: the one home of what `DELETE /account` and
`pulsecheck-admin delete-account / suspend-account / reinstate-account` do.

Ending: each monitor and channel is removed through its event (and tombstone), exactly as a
single DELETE does, so the scheduler stops scheduling and the notifier stops sending at once;
then the account row goes, and with it every key, membership and invite.

Suspending: every door closes first (keys revoked, sessions ended, sign-in refused), then each
running monitor is paused through its event, exactly as `PATCH {"paused": true}` does, so its
checks stop at once; which ones were paused is remembered, and reinstating resumes exactly
those. Both are safe to repeat: a failure part-way is finished by running the command again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pulsecheck.query_api.api.channel_commands import remove_channel
from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import ApiError
from pulsecheck.query_api.api.monitor_commands import remove_monitor, update_monitor
from pulsecheck.read_model.storage.accounts import delete_account_row, live_resources
from pulsecheck.read_model.storage.suspensions import (
    close_doors,
    forget_paused,
    open_doors,
    paused_by_suspension,
    remember_paused,
    running_monitors,
)


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


class NoSuchAccount(Exception):
    pass


async def suspend_account(context: AppContext, account_id: uuid.UUID) -> int:
    """How many monitors this run paused (0 when a repeat finds them paused already)."""
    async with context.pool.connection() as conn:
        if not await close_doors(conn, account_id):
            raise NoSuchAccount(str(account_id))
        monitors = await running_monitors(conn, account_id)
    for monitor_id in monitors:
        async with context.pool.connection() as conn:
            # remembered before the event: a crash in between leaves it to be resumed later,
            # never a monitor this suspension paused and forgot
            await remember_paused(conn, account_id, monitor_id)
        await _set_paused(context, account_id, monitor_id, paused=True)
    return len(monitors)


async def reinstate_account(context: AppContext, account_id: uuid.UUID) -> int:
    """Resume what the suspension paused and open the doors (no key comes back: the operator
    makes one with `create-key`); how many monitors were resumed."""
    async with context.pool.connection() as conn:
        monitors = await paused_by_suspension(conn, account_id)
    for monitor_id in monitors:
        await _set_paused(context, account_id, monitor_id, paused=False)
        async with context.pool.connection() as conn:
            await forget_paused(conn, account_id, monitor_id)
    async with context.pool.connection() as conn:
        if not await open_doors(conn, account_id):
            raise NoSuchAccount(str(account_id))
    return len(monitors)


async def _set_paused(
    context: AppContext, account_id: uuid.UUID, monitor_id: uuid.UUID, *, paused: bool
) -> None:
    try:
        await update_monitor(context, account_id, monitor_id, {"paused": paused})
    except ApiError as exc:
        if exc.status != 404:  # removed meanwhile: nothing left to pause or resume
            raise
