"""Typed dependencies: `PoolDep`, `ContextDep`, `KeyDep`, `AccountDep`, `SettingsDep`.

`AccountDep` also enforces the key's role: a viewer key may read (GET, HEAD) and nothing
else, so every write route, present or future, answers it 403 without a check of its own.
Keys made before roles existed are owners.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import ApiError
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.read_model.storage.key_access import KeyAccess, access_for_key
from pulsecheck.read_model.storage.roles import may_change

# dependencies are `async def` even where nothing awaits: FastAPI runs a plain `def` in a
# worker thread, a hand-off that costs more than the work
_READS = frozenset({"GET", "HEAD"})
_bearer = HTTPBearer(auto_error=False, description="an API key from `pulsecheck-admin`")


async def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


ContextDep = Annotated[AppContext, Depends(get_context)]


async def get_pool(context: ContextDep) -> Pool:
    return context.pool


async def get_settings(context: ContextDep) -> QueryApiSettings:
    return context.settings


PoolDep = Annotated[Pool, Depends(get_pool)]
SettingsDep = Annotated[QueryApiSettings, Depends(get_settings)]


async def get_key(
    request: Request,
    pool: PoolDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> KeyAccess:
    unauthorized = ApiError(
        401, "unauthorized", "a valid API key is required: Authorization: Bearer <key>"
    )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized
    key = credentials.credentials
    if not 8 <= len(key) <= 200 or not key.isascii() or not key.isprintable():
        raise unauthorized
    async with pool.connection() as conn:
        access = await access_for_key(conn, key)
    if access is None:
        raise unauthorized
    if request.method not in _READS and not may_change(access.role):
        raise ApiError(403, "forbidden", f"this API key's role ({access.role}) may only read")
    return access


KeyDep = Annotated[KeyAccess, Depends(get_key)]


async def get_account(key: KeyDep) -> uuid.UUID:
    return key.account_id


AccountDep = Annotated[uuid.UUID, Depends(get_account)]
