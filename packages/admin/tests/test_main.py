"""`pulsecheck-admin create-account` prints an owner API key and a one-time sign-in link."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest

from pulsecheck.admin.main import main
from pulsecheck.read_model.storage.connection import connect
from pulsecheck.read_model.storage.invites import open_invite
from pulsecheck.read_model.storage.key_access import access_for_key

pytestmark = pytest.mark.postgres


async def _check(url: str, key: str, token: str) -> None:
    async with await connect(url) as conn:
        access = await access_for_key(conn, key)
        invite = await open_invite(conn, token, datetime.now(UTC))
    assert access is not None and access.role == "owner"
    assert invite is not None and invite["role"] == "owner"
    assert invite["account_id"] == access.account_id


def test_create_account_prints_an_owner_key_and_sign_in_link(
    admin_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["create-account", "Acme"])
    out = capsys.readouterr().out
    key = re.search(r"^api_key: (\S+)$", out, re.MULTILINE)
    link = re.search(r"^sign_in_link: https://status\.example/invite/(\S+)$", out, re.MULTILINE)
    assert key and link, out
    asyncio.run(_check(admin_database, key.group(1), link.group(1)))


def test_keys_are_made_listed_masked_rotated_and_revoked(
    admin_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["create-account", "Acme"])
    account = re.search(r"^account_id: (\S+)$", capsys.readouterr().out, re.MULTILINE)
    assert account
    main(["create-key", account.group(1), "--name", "ci", "--role", "editor"])
    key = capsys.readouterr().out.split("api_key: ")[1].strip()
    main(["list-keys", account.group(1)])
    listed = capsys.readouterr().out
    assert key not in listed and key[:9] + "…" in listed
    ci_id = next(line.split()[0] for line in listed.splitlines() if " ci " in line)
    main(["rotate-key", account.group(1), ci_id])
    rotated = capsys.readouterr().out.split("api_key: ")[1].strip()
    assert asyncio.run(_role(admin_database, key)) is None
    assert asyncio.run(_role(admin_database, rotated)) == "editor"
    main(["list-keys", account.group(1)])
    new_id = next(
        line.split()[0] for line in capsys.readouterr().out.splitlines()
        if " ci " in line and "active" in line
    )  # fmt: skip
    main(["revoke-key", account.group(1), new_id])
    assert capsys.readouterr().out.strip() == "revoked"
    assert asyncio.run(_role(admin_database, rotated)) is None


async def _role(url: str, key: str) -> str | None:
    async with await connect(url) as conn:
        access = await access_for_key(conn, key)
    return None if access is None else access.role
