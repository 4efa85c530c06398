"""Adds the web app to the API's FastAPI app: routers, static files, error pages."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from pulsecheck.webapp.identity import PageError, SignInRequired
from pulsecheck.webapp.pages import STATIC_DIR, render
from pulsecheck.webapp.routes import (
    alert_rules,
    api_keys,
    channels,
    members,
    monitor_forms,
    monitor_page,
    overview,
    session,
)

# /monitors/new is declared before /monitors/{id} so "new" is never taken for an id
ROUTERS = (session, overview, monitor_forms, alert_rules, monitor_page, channels, api_keys, members)


def install_webapp(app: FastAPI) -> None:
    for module in ROUTERS:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> RedirectResponse:
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError) -> HTMLResponse:
        return render(request, "error.html", None, http_status=exc.status, message=exc.message)
