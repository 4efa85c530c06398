"""`DELETE /account`: an owner ends the account (`account_commands.end_account`)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from pulsecheck.query_api.api.account_commands import end_account
from pulsecheck.query_api.api.deps import ContextDep, KeyDep
from pulsecheck.query_api.api.routes.api_keys import owner_only

router = APIRouter(prefix="/account", tags=["account"])


@router.delete("", status_code=204)
async def delete_account(key: KeyDep, context: ContextDep) -> Response:
    await end_account(context, owner_only(key))
    return Response(status_code=204)
