"""`/api-keys`: an owner key creates, lists (masked), rotates and revokes the account's keys.

The web app's key page uses the same storage functions. Revoking is immediate (the next
request with the key gets 401); it stops no monitor: those belong to the account, not a key
(`pulsecheck-admin suspend-account` stops an account's monitors and every key at once).
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response

from pulsecheck.query_api.api.deps import KeyDep, PoolDep
from pulsecheck.query_api.api.errors import ApiError, not_found
from pulsecheck.query_api.api.schemas.api_keys import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    ApiKeysPage,
)
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.key_access import (
    KeyAccess,
    access_for_key,
    account_api_keys,
    create_api_key,
    revoke_api_key,
    rotate_api_key,
)
from pulsecheck.read_model.storage.roles import may_administer

router = APIRouter(prefix="/api-keys", tags=["account"])


def owner_only(key: KeyAccess) -> uuid.UUID:
    if not may_administer(key.role):
        raise ApiError(403, "forbidden", "only an owner's API key manages keys and the account")
    return key.account_id


def _public(row: dict[str, Any]) -> ApiKeyPublic:
    return ApiKeyPublic(
        id=row["id"],
        name=row["name"],
        masked_key=f"{row['key_prefix']}…",
        role=row["role"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )


async def _created(conn: Connection, account_id: uuid.UUID, key: str) -> ApiKeyCreated:
    access = await access_for_key(conn, key)
    assert access is not None  # made a moment ago on this connection
    rows = await account_api_keys(conn, account_id)
    row = next(row for row in rows if row["id"] == access.key_id)
    return ApiKeyCreated(**_public(row).model_dump(), api_key=key)


@router.get("", response_model=ApiKeysPage)
async def list_keys(key: KeyDep, pool: PoolDep) -> ApiKeysPage:
    account = owner_only(key)
    async with pool.connection() as conn:
        rows = await account_api_keys(conn, account)
    return ApiKeysPage(data=[_public(row) for row in rows])


@router.post("", status_code=201, response_model=ApiKeyCreated)
async def create_key(body: ApiKeyCreate, key: KeyDep, pool: PoolDep) -> ApiKeyCreated:
    account = owner_only(key)
    async with pool.connection() as conn:
        new_key = await create_api_key(conn, account, body.name.strip(), body.role)
        return await _created(conn, account, new_key)


@router.post("/{key_id}/rotate", status_code=201, response_model=ApiKeyCreated)
async def rotate_key(key_id: uuid.UUID, key: KeyDep, pool: PoolDep) -> ApiKeyCreated:
    account = owner_only(key)
    async with pool.connection() as conn:
        new_key = await rotate_api_key(conn, account, key_id)
        if new_key is None:
            raise not_found("active API key")
        return await _created(conn, account, new_key)


@router.delete("/{key_id}", status_code=204)
async def revoke_key(key_id: uuid.UUID, key: KeyDep, pool: PoolDep) -> Response:
    account = owner_only(key)
    async with pool.connection() as conn:
        if not await revoke_api_key(conn, account, key_id):
            raise not_found("active API key")
    return Response(status_code=204)
