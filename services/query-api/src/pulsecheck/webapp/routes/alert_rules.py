"""`/monitors/<id>/alerts`: when a website's failures become an incident, and who hears."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.query_api.api.errors import ApiError
from pulsecheck.query_api.api.monitor_commands import update_monitor
from pulsecheck.read_model.storage.channels import channel_page
from pulsecheck.shared.events import AlertRules
from pulsecheck.webapp.forms.alert_rules_form import alert_rule_fields, alert_rule_values
from pulsecheck.webapp.forms.fields import FormProblem
from pulsecheck.webapp.identity import EditorDep, SignedIn, ViewerDep
from pulsecheck.webapp.pages import render, see_other
from pulsecheck.webapp.routes.monitor_forms import problem_text
from pulsecheck.webapp.routes.monitor_page import website_of

router = APIRouter(include_in_schema=False)

MAX_CHANNELS = 500


def _page(
    request: Request, me: SignedIn, website: dict[str, Any], channels: list[dict[str, Any]],
    values: dict[str, Any], status: int = 200, error: str | None = None,
) -> HTMLResponse:  # fmt: skip
    return render(
        request, "alert_rules.html", me, http_status=status, website=website, channels=channels,
        values=values, error=error,
    )  # fmt: skip


@router.get("/monitors/{monitor_id}/alerts")
async def alert_rules_page(
    monitor_id: str, request: Request, me: ViewerDep, context: ContextDep
) -> HTMLResponse:
    async with context.pool.connection() as conn:
        website = await website_of(conn, me, monitor_id)
        channels = await channel_page(conn, me.account_id, None, MAX_CHANNELS)
    values = alert_rule_values(website["spec"]["alert_rules"])
    return _page(request, me, website, channels, values)


@router.post("/monitors/{monitor_id}/alerts")
async def change_alert_rules(
    monitor_id: str, request: Request, me: EditorDep, context: ContextDep
) -> Response:
    form = await request.form()
    async with context.pool.connection() as conn:
        website = await website_of(conn, me, monitor_id)
        channels = await channel_page(conn, me.account_id, None, MAX_CHANNELS)
    try:
        fields = alert_rule_fields(form, [str(c["id"]) for c in channels])
        rules = AlertRules.model_validate(fields).model_dump(mode="json")
        await update_monitor(context, me.account_id, website["id"], {"alert_rules": rules})
    except (FormProblem, ValidationError, ApiError) as exc:
        message = problem_text(exc) if isinstance(exc, ValidationError) else str(exc)
        values = alert_rule_values(website["spec"]["alert_rules"])
        return _page(request, me, website, channels, values, 422, message)
    return see_other(f"/monitors/{website['id']}")
