"""Carry out a plan through the API, in its order; a refused step is reported and the rest go on
(a website whose channels could not be created is refused by the API in turn)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulsecheck.cli.account_api import AccountApi, ApiRefused
from pulsecheck.cli.account_state import Account
from pulsecheck.cli.plan import Plan, Step


@dataclass
class Outcome:
    done: int = 0
    failures: list[str] = field(default_factory=list)
    # a new heartbeat's ping token: the API shows it once, in the creating response
    ping_tokens: dict[str, str] = field(default_factory=dict)


def _with_channel_ids(body: dict[str, Any], channel_ids: dict[str, str]) -> dict[str, Any]:
    rules = body.get("alert_rules")
    if not isinstance(rules, dict) or not isinstance(rules.get("channels"), list):
        return body
    # a name the account lacks (its creation failed) goes as is, for the API to refuse
    ids = [channel_ids.get(name, name) for name in rules["channels"]]
    return {**body, "alert_rules": {**rules, "channels": ids}}


async def _run(step: Step, api: AccountApi, channel_ids: dict[str, str], outcome: Outcome) -> None:
    match step.action, step.subject:
        case "create", "channel":
            channel_ids[step.name] = await api.create_channel(step.body)
        case "change", "channel":
            await api.change_channel(_id(step), step.body)
        case "remove", "channel":
            await api.remove_channel(_id(step))
        case "create", "website":
            created = await api.create_website(_with_channel_ids(step.body, channel_ids))
            if created.get("ping_token"):
                outcome.ping_tokens[step.name] = created["ping_token"]
        case "change", "website":
            await api.change_website(_id(step), _with_channel_ids(step.body, channel_ids))
        case "remove", "website":
            await api.remove_website(_id(step))


def _id(step: Step) -> str:
    if step.id is None:
        raise ValueError(f"a {step.action} of {step.subject} {step.name!r} needs its id")
    return step.id


async def apply_plan(plan: Plan, account: Account, api: AccountApi) -> Outcome:
    outcome = Outcome()
    channel_ids = {name: channel.id for name, channel in account.channels.items()}
    for step in plan.steps:
        try:
            await _run(step, api, channel_ids, outcome)
        except ApiRefused as exc:
            outcome.failures.append(f"{step.action} {step.subject} {step.name!r}: {exc}")
        else:
            outcome.done += 1
    return outcome
