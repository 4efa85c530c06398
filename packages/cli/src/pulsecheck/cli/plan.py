"""What `apply` will do, decided purely from the file, the account and the environment: the
creations, changes (with the changed fields) and removals, in the order they must run.

Websites are matched by name; a website whose name is new but whose URL belongs to an unmatched
website of the account is that website renamed (the API allows one monitor per URL). Channels
are matched by name only. A channel's target is compared through the API's mask of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from pulsecheck.channels.registry import checked_config, masked_target
from pulsecheck.cli.account_state import Account, CurrentChannel, CurrentWebsite
from pulsecheck.cli.document import ChannelDeclaration, MonitorsFile, WebsiteDeclaration
from pulsecheck.cli.merge_diff import merge_diff, patch_paths

Action = Literal["create", "change", "remove"]
Subject = Literal["channel", "website"]


@dataclass(frozen=True)
class Step:
    action: Action
    subject: Subject
    name: str
    # the id of what is changed or removed (None for a creation)
    id: str | None = None
    # a creation's body, a website's merge patch or a channel's changed fields; channels are
    # still named in `alert_rules.channels` (apply maps them to ids). May hold a channel's
    # target: never printed.
    body: dict[str, Any] = field(default_factory=dict)
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    # what stops the plan from being applied (a missing variable, a changed channel kind)
    problems: tuple[str, ...]
    # what the account has and the file does not, left alone without --prune
    unmanaged: tuple[str, ...]


def _target(channel: ChannelDeclaration, env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The channel's target from its variable and the problem with it, if any."""
    value = env.get(channel.target_env)
    if not value:
        return None, f"channel {channel.name!r}: ${channel.target_env} is not set"
    try:
        return checked_config(channel.kind, value, None).target, None
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"]
        return None, f"channel {channel.name!r}: ${channel.target_env} is not a target: {reason}"


def _channel_step(
    wanted: ChannelDeclaration, now: CurrentChannel | None, env: Mapping[str, str]
) -> tuple[Step | None, str | None]:
    target, problem = _target(wanted, env)
    if now is None:
        if target is None:
            return None, problem
        body = {**wanted.model_dump(exclude={"target_env"}), "target": target}
        return Step("create", "channel", wanted.name, body=body), None
    if wanted.kind != now.kind:
        return None, (f"channel {wanted.name!r} is a {now.kind} channel; its kind cannot change "
                      "(give the new one another name)")  # fmt: skip
    changes: dict[str, Any] = {}
    if wanted.enabled != now.enabled:
        changes["enabled"] = wanted.enabled
    if tuple(wanted.event_types) != now.event_types:
        changes["event_types"] = wanted.event_types
    if target is None:
        return None, problem
    if masked_target(now.kind, target) != now.target_mask:
        changes["target"] = target
    if not changes:
        return None, None
    return Step("change", "channel", wanted.name, now.id, changes, tuple(changes)), None


def _website_step(wanted: WebsiteDeclaration, now: CurrentWebsite | None) -> Step | None:
    if now is None:
        return Step("create", "website", wanted.name, body=wanted.compact_form())
    patch = merge_diff(now.declaration.full_form(), wanted.full_form())
    if not patch:
        return None
    return Step("change", "website", wanted.name, now.id, patch, tuple(patch_paths(patch)))


def _matched_websites(desired: MonitorsFile, account: Account) -> dict[str, CurrentWebsite | None]:
    """Each declared website's current self: by name, else (a rename) by URL."""
    matched: dict[str, CurrentWebsite | None] = {
        w.name: account.websites.get(w.name) for w in desired.websites
    }
    unclaimed = {
        now.declaration.url: now for name, now in account.websites.items() if name not in matched
    }
    for website in desired.websites:
        if matched[website.name] is None:
            matched[website.name] = unclaimed.pop(website.url, None)
    return matched


def plan(desired: MonitorsFile, account: Account, env: Mapping[str, str], prune: bool) -> Plan:
    problems: list[str] = []
    channel_steps: list[Step] = []
    for channel in desired.channels:
        step, problem = _channel_step(channel, account.channels.get(channel.name), env)
        channel_steps += [step] if step else []
        problems += [problem] if problem else []
    matched = _matched_websites(desired, account)
    website_steps = [
        step for w in desired.websites if (step := _website_step(w, matched[w.name])) is not None
    ]
    kept_ids = {now.id for now in matched.values() if now is not None}
    gone_websites = [
        Step("remove", "website", name, now.id)
        for name, now in sorted(account.websites.items())
        if now.id not in kept_ids
    ]
    declared = {c.name for c in desired.channels}
    gone_channels = [
        Step("remove", "channel", name, now.id)
        for name, now in sorted(account.channels.items())
        if name not in declared
    ]
    removals = gone_websites + gone_channels
    # websites go before the channels they may name, and are created after them
    steps = channel_steps + website_steps + (removals if prune else [])
    unmanaged = () if prune else tuple(f"{s.subject} {s.name!r}" for s in removals)
    return Plan(tuple(steps), tuple(problems), unmanaged)
