"""Rendering: one Jinja2 environment, one layout, and the security headers of every page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pulsecheck.webapp.identity import SignedIn

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"

# no inline script or style anywhere: everything the page runs or wears comes from /static
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
    " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _when(value: datetime | None) -> str:
    return "—" if value is None else value.strftime("%Y-%m-%d %H:%M:%S UTC")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(PACKAGE_DIR / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    return env


_ENV = _environment()


def render_text(template: str, **values: Any) -> str:
    """A page's HTML alone (the public pages cache it before answering)."""
    return _ENV.get_template(template).render(**values)


def render(
    request: Request,
    template: str,
    me: SignedIn | None,
    *,
    http_status: int = 200,
    **values: Any,
) -> HTMLResponse:
    html = _ENV.get_template(template).render(request=request, me=me, **values)
    return HTMLResponse(html, status_code=http_status, headers=SECURITY_HEADERS)


def see_other(path: str) -> RedirectResponse:
    """After a successful POST: the browser GETs the result (a reload does not repeat it)."""
    return RedirectResponse(path, status_code=303)
