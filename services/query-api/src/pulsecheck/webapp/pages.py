"""Rendering: one Jinja2 environment, one layout, and the headers of every page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pulsecheck.query_api.api.security_headers import SECURITY_HEADERS
from pulsecheck.webapp.identity import SignedIn

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"

# the security headers themselves come from their one home (the middleware sets them on every
# response); a page is also never cached
PAGE_HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-store"}


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
    return HTMLResponse(html, status_code=http_status, headers=PAGE_HEADERS)


def see_other(path: str) -> RedirectResponse:
    """After a successful POST: the browser GETs the result (a reload does not repeat it)."""
    return RedirectResponse(path, status_code=303)
