"""People and their membership (with a role) in accounts."""

from __future__ import annotations

import uuid
from typing import Any

from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.roles import Role


async def create_user(conn: Connection, email: str, password_hash: str) -> uuid.UUID | None:
    """The new user's id, or None when the address is taken."""
    cursor = await conn.execute(
        "INSERT INTO users (email, password_hash) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING RETURNING id",
        (email, password_hash),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    user_id: uuid.UUID = row["id"]
    return user_id


async def user_by_email(conn: Connection, email: str) -> dict[str, Any] | None:
    cursor = await conn.execute(
        "SELECT id, email, password_hash FROM users WHERE lower(email) = lower(%s)", (email,)
    )
    return await cursor.fetchone()


async def password_hash_of(conn: Connection, user_id: uuid.UUID) -> str | None:
    cursor = await conn.execute("SELECT password_hash FROM users WHERE id = %s", (user_id,))
    row = await cursor.fetchone()
    return None if row is None else str(row["password_hash"])


async def set_password_hash(conn: Connection, user_id: uuid.UUID, password_hash: str) -> None:
    await conn.execute(
        "UPDATE users SET password_hash = %s WHERE id = %s", (password_hash, user_id)
    )


async def add_membership(
    conn: Connection, account_id: uuid.UUID, user_id: uuid.UUID, role: Role
) -> None:
    """Joins the account; a second invite to the same account changes the role."""
    await conn.execute(
        "INSERT INTO memberships (account_id, user_id, role) VALUES (%s, %s, %s)"
        " ON CONFLICT (account_id, user_id) DO UPDATE SET role = excluded.role",
        (account_id, user_id, role),
    )


async def first_membership(conn: Connection, user_id: uuid.UUID) -> uuid.UUID | None:
    """The account a user signs into: the oldest one they belong to that is not suspended."""
    cursor = await conn.execute(
        "SELECT m.account_id FROM memberships m JOIN accounts a ON a.id = m.account_id"
        " WHERE m.user_id = %s AND a.suspended_at IS NULL ORDER BY m.created_at LIMIT 1",
        (user_id,),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    account_id: uuid.UUID = row["account_id"]
    return account_id


async def account_members(conn: Connection, account_id: uuid.UUID) -> list[dict[str, Any]]:
    cursor = await conn.execute(
        "SELECT u.id, u.email, m.role, m.created_at FROM memberships m"
        " JOIN users u ON u.id = m.user_id WHERE m.account_id = %s ORDER BY m.created_at",
        (account_id,),
    )
    return await cursor.fetchall()
