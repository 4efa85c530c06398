"""`pulsecheck-admin`: apply migrations, create accounts (printing their API key once and the
first owner's one-time sign-in link), end accounts, manage an account's API keys and limits,
make sealing key pairs and re-seal secrets to a new one."""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from pulsecheck.admin.account_operations import delete_account, reinstate, suspend
from pulsecheck.admin.keys import run_key_command
from pulsecheck.admin.reseal import KidUnknown, ResealSettings, reseal
from pulsecheck.query_api.api.account_commands import NoSuchAccount
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.migrations.runner import downgrade, upgrade
from pulsecheck.read_model.storage.accounts import CreatedAccount, create_account
from pulsecheck.read_model.storage.connection import connect
from pulsecheck.read_model.storage.invites import INVITE_LIFETIME, create_invite
from pulsecheck.read_model.storage.roles import ROLES
from pulsecheck.shared.sealing import SealingError, new_key_pair
from pulsecheck.shared.settings import DatabaseSettings


class AdminSettings(DatabaseSettings):
    """The database URL, and where people reach the web app (for the printed invite link)."""

    public_base_url: str = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class NewAccount:
    created: CreatedAccount
    owner_invite: str


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pulsecheck-admin", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser("migrate", help="upgrade the database to the newest revision")
    migrate.add_argument("--revision", default="head")
    rollback = commands.add_parser("downgrade", help="downgrade the database (default: base)")
    rollback.add_argument("--revision", default="base")
    account = commands.add_parser("create-account", help="create an account, print its API key")
    account.add_argument("name")
    ending = commands.add_parser(
        "delete-account",
        help="end an account as DELETE /account does: publish the removal of each of its"
        " monitors and channels, then delete it with its keys, members and invites (needs the"
        " query API's Kafka, database and sealing-key settings)",
    )
    ending.add_argument("account_id", type=uuid.UUID)
    suspending = commands.add_parser(
        "suspend-account",
        help="stop an account without deleting it: revoke every key, end every session, refuse"
        " sign-in, and pause each running monitor through its event (its checks stop at once);"
        " safe to repeat (same settings as delete-account)",
    )
    suspending.add_argument("account_id", type=uuid.UUID)
    reinstating = commands.add_parser(
        "reinstate-account",
        help="undo suspend-account: resume the monitors it paused (not those the account had"
        " paused itself) and allow sign-in; make a new key with create-key",
    )
    reinstating.add_argument("account_id", type=uuid.UUID)
    keygen = commands.add_parser(
        "seal-keygen",
        help="print a new sealing key pair: the public half for the API, web app and admin"
        " (PULSECHECK_SEALING_PUBLIC_KEYS), the private half for the notifier only"
        " (PULSECHECK_SEALING_PRIVATE_KEYS); make a second pair for monitor header credentials"
        " (PULSECHECK_HEADER_SEALING_*, private half for the prober)",
    )
    keygen.add_argument("--kid", required=True, help="the key id: 1-32 of [A-Za-z0-9_-]")
    resealing = commands.add_parser(
        "reseal",
        help="re-publish every channel and monitor whose sealed values use another kid, sealed"
        " to --to-kid. It must open them, so run it with the notifier's and the prober's key"
        " material: PULSECHECK_SEALING_PRIVATE_KEYS and PULSECHECK_HEADER_SEALING_PRIVATE_KEYS"
        " (every kid still in use), the public lists holding the new kid, the database and"
        " Kafka settings; run it when no one edits channels or monitors",
    )
    resealing.add_argument("--to-kid", required=True, help="the kid to seal to")
    keys = {
        "create-key": "make an API key (printed once)",
        "list-keys": "list the account's keys, masked",
        "rotate-key": "replace a key: a new secret, the old one revoked",
        "revoke-key": "revoke a key (401 at once; monitors run on: suspend-account stops them)",
        "set-limits": "override the deployment's quotas for one account",
    }
    for name, text in keys.items():
        command = commands.add_parser(name, help=text)
        command.add_argument("account_id", type=uuid.UUID)
        if name in ("rotate-key", "revoke-key"):
            command.add_argument("key_id", type=uuid.UUID)
        if name == "create-key":
            command.add_argument("--name", default="")
            command.add_argument("--role", choices=ROLES, default="viewer")
        if name == "set-limits":
            command.add_argument("--max-monitors", type=int)
            command.add_argument("--max-channels", type=int)
            command.add_argument("--min-interval-seconds", type=int)
            command.add_argument("--any-tcp-port", action="store_true")
    return parser


async def _create_account(database_url: str, name: str) -> NewAccount:
    async with await connect(database_url) as conn:
        created = await create_account(conn, name)
        expires = datetime.now(UTC) + INVITE_LIFETIME
        invite = await create_invite(conn, created.account_id, "owner", expires)
        await conn.commit()
    return NewAccount(created, invite)


def _suspend_or_reinstate(command: str, account_id: uuid.UUID) -> None:
    operation = suspend if command == "suspend-account" else reinstate
    try:
        count = asyncio.run(operation(QueryApiSettings(), account_id))
    except NoSuchAccount:
        sys.exit(f"no {'' if operation is suspend else 'suspended '}account {account_id}")
    if operation is suspend:
        print(f"suspended account {account_id}: keys revoked, sessions ended, {count} monitors"
              " paused")  # fmt: skip
    else:
        print(f"reinstated account {account_id}: {count} monitors resumed; make a key with"
              " create-key")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    if args.command == "seal-keygen":
        # no settings needed: a key pair is made offline and handed to the services
        pair = new_key_pair(args.kid)
        print(f"public: {pair.kid}:{pair.public}")
        print(f"private: {pair.kid}:{pair.private}")
        print("list the new kid first in the public keys; keep old private keys until resealed",
              file=sys.stderr)  # fmt: skip
        return
    if args.command == "reseal":
        try:
            done = asyncio.run(reseal(ResealSettings(), args.to_kid))
        except (KidUnknown, SealingError) as exc:
            sys.exit(f"reseal stopped: {exc}")
        print(f"resealed to {args.to_kid}: {done.channels} channels, {done.monitors} monitors")
        return
    if args.command == "delete-account":
        ended = asyncio.run(delete_account(QueryApiSettings(), args.account_id))
        if not ended.row_deleted:
            sys.exit(f"no account {args.account_id}")
        print(f"deleted account {args.account_id}: removed {ended.monitors} monitors and"
              f" {ended.channels} channels")  # fmt: skip
        return
    if args.command in ("suspend-account", "reinstate-account"):
        _suspend_or_reinstate(args.command, args.account_id)
        return
    settings = AdminSettings()
    if args.command == "migrate":
        upgrade(settings.database_url, args.revision)
        print(f"database at revision {args.revision}")
    elif args.command == "downgrade":
        downgrade(settings.database_url, args.revision)
        print(f"database at revision {args.revision}")
    elif args.command in ("create-key", "list-keys", "rotate-key", "revoke-key", "set-limits"):
        for line in asyncio.run(run_key_command(settings.database_url, args)):
            print(line)
    elif args.command == "create-account":
        name = args.name.strip()
        if not 1 <= len(name) <= 200:
            sys.exit("the account name must be 1 to 200 characters")
        new = asyncio.run(_create_account(settings.database_url, name))
        print(f"account_id: {new.created.account_id}")
        print(f"api_key: {new.created.api_key}")
        print(f"sign_in_link: {settings.public_base_url.rstrip('/')}/invite/{new.owner_invite}")
        print(
            "store the key now: only its hash is kept; the link makes the first owner, once,"
            f" within {INVITE_LIFETIME.days} days",
            file=sys.stderr,
        )
