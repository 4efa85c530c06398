"""Who is asking: the signed-in person behind the session cookie, and what their role allows.

`ViewerDep`, `EditorDep` and `OwnerDep` are the page dependencies; each POST also has its
CSRF token checked here, so no form handler can forget it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.read_model.storage.roles import Role, may_administer, may_change
from pulsecheck.read_model.storage.web_sessions import session_identity
from pulsecheck.webapp.csrf import SESSION_COOKIE, csrf_passes, session_csrf_token


class SignInRequired(Exception):
    """Answered with a redirect to the sign-in page (the error page handlers live in install)."""


class PageError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def forbidden() -> PageError:
    return PageError(403, "Your role in this account does not allow this.")


@dataclass(frozen=True)
class SignedIn:
    user_id: uuid.UUID
    email: str
    account_id: uuid.UUID
    account_name: str
    role: Role
    session_token: str

    @property
    def csrf_token(self) -> str:
        return session_csrf_token(self.session_token)

    @property
    def can_change(self) -> bool:
        return may_change(self.role)

    @property
    def can_administer(self) -> bool:
        return may_administer(self.role)


async def _signed_in(request: Request, context: ContextDep) -> SignedIn:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 100:
        raise SignInRequired
    async with context.pool.connection() as conn:
        row = await session_identity(conn, token, context.clock())
    if row is None:
        raise SignInRequired
    if request.method == "POST" and not await csrf_passes(request):
        raise PageError(403, "The form was stale or forged (CSRF check failed). Reload and retry.")
    return SignedIn(
        row["user_id"], row["email"], row["account_id"], row["account_name"], row["role"], token
    )


async def _editor(me: Annotated[SignedIn, Depends(_signed_in)]) -> SignedIn:
    if not me.can_change:
        raise forbidden()
    return me


async def _owner(me: Annotated[SignedIn, Depends(_signed_in)]) -> SignedIn:
    if not me.can_administer:
        raise forbidden()
    return me


ViewerDep = Annotated[SignedIn, Depends(_signed_in)]
EditorDep = Annotated[SignedIn, Depends(_editor)]
OwnerDep = Annotated[SignedIn, Depends(_owner)]
