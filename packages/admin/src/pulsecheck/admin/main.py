"""`pulsecheck-admin`: apply migrations, create accounts (printing their API key once)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from pulsecheck.read_model.migrations.runner import downgrade, upgrade
from pulsecheck.read_model.storage.accounts import CreatedAccount, create_account
from pulsecheck.read_model.storage.connection import connect
from pulsecheck.shared.settings import DatabaseSettings


class AdminSettings(DatabaseSettings):
    """The CLI reads the database URL only; its image is the one-shot init's."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pulsecheck-admin", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser("migrate", help="upgrade the database to the newest revision")
    migrate.add_argument("--revision", default="head")
    rollback = commands.add_parser("downgrade", help="downgrade the database (default: base)")
    rollback.add_argument("--revision", default="base")
    account = commands.add_parser("create-account", help="create an account, print its API key")
    account.add_argument("name")
    return parser


async def _create_account(database_url: str, name: str) -> CreatedAccount:
    async with await connect(database_url) as conn:
        return await create_account(conn, name)


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    settings = AdminSettings()
    if args.command == "migrate":
        upgrade(settings.database_url, args.revision)
        print(f"database at revision {args.revision}")
    elif args.command == "downgrade":
        downgrade(settings.database_url, args.revision)
        print(f"database at revision {args.revision}")
    elif args.command == "create-account":
        name = args.name.strip()
        if not 1 <= len(name) <= 200:
            sys.exit("the account name must be 1 to 200 characters")
        created = asyncio.run(_create_account(settings.database_url, name))
        print(f"account_id: {created.account_id}")
        print(f"api_key: {created.api_key}")
        print("store the key now: only its hash is kept", file=sys.stderr)
