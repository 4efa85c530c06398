"""Add, change, pause, resume and delete a website, through the API's own command layer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ValidationError

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.query_api.api.errors import ApiError
from pulsecheck.query_api.api.monitor_commands import (
    register_monitor,
    remove_monitor,
    update_monitor,
)
from pulsecheck.query_api.api.schemas.monitors import MonitorCreate, MonitorUpdate
from pulsecheck.webapp.forms.fields import FormProblem
from pulsecheck.webapp.forms.monitor_form import (
    CHECK_KINDS,
    HTTP_METHODS,
    monitor_fields,
    monitor_form_values,
)
from pulsecheck.webapp.identity import EditorDep, SignedIn
from pulsecheck.webapp.pages import render, see_other
from pulsecheck.webapp.routes.monitor_page import website_of

router = APIRouter(include_in_schema=False)


def problem_text(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def _form_page(
    request: Request, me: SignedIn, values: dict[str, Any], action: str, status: int = 200,
    error: str | None = None,
) -> HTMLResponse:  # fmt: skip
    return render(
        request, "monitor_form.html", me, http_status=status, values=values, action=action,
        kinds=CHECK_KINDS, methods=HTTP_METHODS, error=error,
    )  # fmt: skip


def _checked(model: type[BaseModel], fields: dict[str, Any]) -> dict[str, Any]:
    return model.model_validate(fields).model_dump(mode="json", exclude_unset=True)


@router.get("/monitors/new")
async def new_website_page(request: Request, me: EditorDep) -> HTMLResponse:
    # every default of the API, with the two fields it cannot default left blank
    # (constructed, not validated: a blank URL is no URL, and the form shows it blank)
    defaults = MonitorCreate.model_construct(name="", url="").model_dump(mode="json")
    return _form_page(request, me, monitor_form_values(defaults), "/monitors/new")


@router.post("/monitors/new")
async def add_website(request: Request, me: EditorDep, context: ContextDep) -> Response:
    form = await request.form()
    try:
        fields = monitor_fields(form)
        body = MonitorCreate.model_validate(fields).model_dump(mode="json")
        monitor_id = await register_monitor(context, me.account_id, body)
    except (FormProblem, ValidationError, ApiError) as exc:
        message = problem_text(exc) if isinstance(exc, ValidationError) else str(exc)
        return _form_page(request, me, dict(form), "/monitors/new", 422, message)
    return see_other(f"/monitors/{monitor_id}")


@router.get("/monitors/{monitor_id}/edit")
async def edit_website_page(
    monitor_id: str, request: Request, me: EditorDep, context: ContextDep
) -> HTMLResponse:
    async with context.pool.connection() as conn:
        website = await website_of(conn, me, monitor_id)
    values = monitor_form_values(website["spec"])
    return _form_page(request, me, values, f"/monitors/{website['id']}/edit")


@router.post("/monitors/{monitor_id}/edit")
async def change_website(
    monitor_id: str, request: Request, me: EditorDep, context: ContextDep
) -> Response:
    form = await request.form()
    action = f"/monitors/{monitor_id}/edit"
    try:
        async with context.pool.connection() as conn:
            website = await website_of(conn, me, monitor_id)
        changes = _checked(MonitorUpdate, monitor_fields(form))
        await update_monitor(context, me.account_id, website["id"], changes)
    except (FormProblem, ValidationError, ApiError) as exc:
        message = problem_text(exc) if isinstance(exc, ValidationError) else str(exc)
        return _form_page(request, me, dict(form), action, 422, message)
    return see_other(f"/monitors/{website['id']}")


async def _set_paused(monitor_id: str, me: SignedIn, context: ContextDep, paused: bool) -> Response:
    async with context.pool.connection() as conn:
        website = await website_of(conn, me, monitor_id)
    await update_monitor(context, me.account_id, website["id"], {"paused": paused})
    return see_other(f"/monitors/{website['id']}")


@router.post("/monitors/{monitor_id}/pause")
async def pause_website(monitor_id: str, me: EditorDep, context: ContextDep) -> Response:
    return await _set_paused(monitor_id, me, context, True)


@router.post("/monitors/{monitor_id}/resume")
async def resume_website(monitor_id: str, me: EditorDep, context: ContextDep) -> Response:
    return await _set_paused(monitor_id, me, context, False)


@router.get("/monitors/{monitor_id}/delete")
async def confirm_delete_page(
    monitor_id: str, request: Request, me: EditorDep, context: ContextDep
) -> HTMLResponse:
    async with context.pool.connection() as conn:
        website = await website_of(conn, me, monitor_id)
    return render(request, "monitor_delete.html", me, website=website)


@router.post("/monitors/{monitor_id}/delete")
async def delete_website(monitor_id: str, me: EditorDep, context: ContextDep) -> Response:
    async with context.pool.connection() as conn:
        website = await website_of(conn, me, monitor_id)
    await remove_monitor(context, me.account_id, website["id"])
    return see_other("/")
