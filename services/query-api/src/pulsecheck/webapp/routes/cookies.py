"""The web app's cookies: HttpOnly, SameSite=Lax, Secure unless the settings say loopback."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request, Response

from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.webapp.csrf import CSRF_COOKIE, SESSION_COOKIE, expected_token, new_signed_out_token


def set_session_cookie(response: Response, token: str, settings: QueryApiSettings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(timedelta(hours=settings.session_hours).total_seconds()),
        httponly=True,
        secure=settings.session_cookie_secure,
        samesite="lax",
    )


def clear_session_cookie(response: Response, settings: QueryApiSettings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, secure=settings.session_cookie_secure, samesite="lax"
    )


def signed_out_csrf(request: Request) -> tuple[str, bool]:
    """The token a signed-out form carries, and whether its cookie must be set now."""
    token = expected_token(request)
    return (token, False) if token else (new_signed_out_token(), True)


def set_csrf_cookie(response: Response, token: str, settings: QueryApiSettings) -> None:
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, secure=settings.session_cookie_secure, samesite="lax"
    )
