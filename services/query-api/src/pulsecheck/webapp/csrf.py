"""CSRF protection on every POST of the web app.

Signed in, the token is derived from the session token (a synchronizer token that needs
no storage: only the holder of the HttpOnly cookie can know it). Signed out (the sign-in
and invite forms), it is a double-submit cookie: the form must echo the cookie's value.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

SESSION_COOKIE = "pulsecheck_session"
CSRF_COOKIE = "pulsecheck_csrf"
CSRF_FIELD = "csrf_token"


def session_csrf_token(session_token: str) -> str:
    return hashlib.sha256(b"pulsecheck-csrf|" + session_token.encode()).hexdigest()


def new_signed_out_token() -> str:
    return secrets.token_urlsafe(32)


def expected_token(request: Request) -> str | None:
    session_token = request.cookies.get(SESSION_COOKIE)
    if session_token:
        return session_csrf_token(session_token)
    return request.cookies.get(CSRF_COOKIE)


async def csrf_passes(request: Request) -> bool:
    """Reads the form (Starlette keeps it for the handler) and compares in constant time."""
    expected = expected_token(request)
    form = await request.form()
    given = form.get(CSRF_FIELD)
    if not expected or not isinstance(given, str):
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
