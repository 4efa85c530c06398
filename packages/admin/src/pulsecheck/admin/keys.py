"""The key and limit commands of `pulsecheck-admin`: the storage functions the API and the
web app use, so there is one implementation of each."""

from __future__ import annotations

import argparse

from pulsecheck.read_model.storage.account_limits import LimitOverrides, set_limit_overrides
from pulsecheck.read_model.storage.connection import connect
from pulsecheck.read_model.storage.key_access import (
    account_api_keys,
    create_api_key,
    revoke_api_key,
    rotate_api_key,
)


async def run_key_command(database_url: str, args: argparse.Namespace) -> list[str]:
    """The lines to print; a key is printed once, when it is made."""
    async with await connect(database_url, autocommit=True) as conn:
        account = args.account_id
        if args.command == "create-key":
            return [f"api_key: {await create_api_key(conn, account, args.name, args.role)}"]
        if args.command == "list-keys":
            return [
                f"{row['id']}  {row['key_prefix']}…  {row['role']}  {row['name'] or '-'}"
                f"  {'revoked' if row['revoked_at'] else 'active'}"
                for row in await account_api_keys(conn, account)
            ]
        if args.command == "rotate-key":
            new_key = await rotate_api_key(conn, account, args.key_id)
            return [f"api_key: {new_key}"] if new_key else ["no such active key"]
        if args.command == "revoke-key":
            done = await revoke_api_key(conn, account, args.key_id)
            return ["revoked" if done else "no such active key"]
        overrides = LimitOverrides(
            args.max_monitors, args.max_channels, args.min_interval_seconds, args.any_tcp_port
        )
        found = await set_limit_overrides(conn, account, overrides)
        return ["limits set" if found else "no such account"]
