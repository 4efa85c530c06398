"""Public status pages: an account's chosen websites under a slug anyone may open."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import psycopg

from pulsecheck.read_model.storage.connection import Connection

_COLUMNS = "id, account_id, slug, title, monitor_ids, logo_type, created_at, updated_at"


@dataclass(frozen=True)
class StatusPageFields:
    slug: str
    title: str
    monitor_ids: list[uuid.UUID]


@dataclass(frozen=True)
class Logo:
    content: bytes
    media_type: str


async def status_pages_of(conn: Connection, account_id: uuid.UUID) -> list[dict[str, Any]]:
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM status_pages WHERE account_id = %s ORDER BY created_at DESC",
        (account_id,),
    )
    return await cursor.fetchall()


async def status_page_of(
    conn: Connection, account_id: uuid.UUID, page_id: uuid.UUID
) -> dict[str, Any] | None:
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM status_pages WHERE account_id = %s AND id = %s",
        (account_id, page_id),
    )
    return await cursor.fetchone()


async def status_page_by_slug(conn: Connection, slug: str) -> dict[str, Any] | None:
    cursor = await conn.execute(f"SELECT {_COLUMNS} FROM status_pages WHERE slug = %s", (slug,))
    return await cursor.fetchone()


async def _own_monitors(
    conn: Connection, account_id: uuid.UUID, monitor_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    """Only the account's own, live websites: a forged id from a form is dropped."""
    cursor = await conn.execute(
        "SELECT id FROM monitors WHERE account_id = %s AND id = ANY(%s) AND removed_at IS NULL",
        (account_id, monitor_ids),
    )
    own = {row["id"] for row in await cursor.fetchall()}
    return [monitor_id for monitor_id in monitor_ids if monitor_id in own]


async def create_status_page(
    conn: Connection, account_id: uuid.UUID, fields: StatusPageFields, logo: Logo | None
) -> uuid.UUID | None:
    """The new page's id, or None when the slug is taken (by any account)."""
    monitors = await _own_monitors(conn, account_id, fields.monitor_ids)
    try:
        cursor = await conn.execute(
            "INSERT INTO status_pages (account_id, slug, title, monitor_ids, logo, logo_type)"
            " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
            (
                account_id, fields.slug, fields.title, monitors,
                logo.content if logo else None, logo.media_type if logo else None,
            ),
        )  # fmt: skip
    except psycopg.errors.UniqueViolation:
        return None
    row = await cursor.fetchone()
    assert row is not None
    return uuid.UUID(str(row["id"]))


async def update_status_page(
    conn: Connection,
    account_id: uuid.UUID,
    page_id: uuid.UUID,
    fields: StatusPageFields,
    logo: Logo | None,
) -> bool:
    """False when the slug is taken by another page; a page given no new logo keeps its own."""
    monitors = await _own_monitors(conn, account_id, fields.monitor_ids)
    try:
        await conn.execute(
            "UPDATE status_pages SET slug = %s, title = %s, monitor_ids = %s,"
            " logo = coalesce(%s, logo), logo_type = coalesce(%s, logo_type), updated_at = now()"
            " WHERE account_id = %s AND id = %s",
            (
                fields.slug, fields.title, monitors, logo.content if logo else None,
                logo.media_type if logo else None, account_id, page_id,
            ),
        )  # fmt: skip
    except psycopg.errors.UniqueViolation:
        return False
    return True


async def delete_status_page(conn: Connection, account_id: uuid.UUID, page_id: uuid.UUID) -> None:
    await conn.execute(
        "DELETE FROM status_pages WHERE account_id = %s AND id = %s", (account_id, page_id)
    )


async def status_page_logo(conn: Connection, slug: str) -> Logo | None:
    cursor = await conn.execute(
        "SELECT logo, logo_type FROM status_pages WHERE slug = %s AND logo IS NOT NULL", (slug,)
    )
    row = await cursor.fetchone()
    return None if row is None else Logo(bytes(row["logo"]), row["logo_type"])
