"""The account as the API shows it, in the file's terms: websites as declarations (channels by
name), channels with the mask of their target, and the ids apply needs to change either."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulsecheck.cli.account_api import AccountApi
from pulsecheck.cli.document import (
    ChannelDeclaration,
    MonitorsFile,
    WebsiteDeclaration,
    env_name_for,
)
from pulsecheck.shared.events.targets import default_kinds


class AmbiguousAccount(Exception):
    """The account cannot be described by names: two websites or channels share one, or a
    website names a channel that does not exist."""


@dataclass(frozen=True)
class CurrentChannel:
    id: str
    name: str
    kind: str
    # what the API shows of the target: a change of target is seen through this mask
    target_mask: str
    enabled: bool
    event_types: tuple[str, ...]

    def declaration(self) -> ChannelDeclaration:
        return ChannelDeclaration(
            name=self.name,
            kind=self.kind,
            target_env=env_name_for(self.name),
            enabled=self.enabled,
            event_types=list(self.event_types),
        )


@dataclass(frozen=True)
class CurrentWebsite:
    id: str
    declaration: WebsiteDeclaration


@dataclass(frozen=True)
class Account:
    channels: dict[str, CurrentChannel]
    websites: dict[str, CurrentWebsite]

    def as_file(self) -> MonitorsFile:
        return MonitorsFile(
            channels=[c.declaration() for c in self.channels.values()],
            websites=[w.declaration for w in self.websites.values()],
        )


def _unique_by_name(rows: list[dict[str, Any]], what: str) -> dict[str, dict[str, Any]]:
    by_name: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["name"] in by_name:
            raise AmbiguousAccount(f"two {what}s of the account are named {row['name']!r}: "
                                   f"rename one (the file identifies {what}s by name)")  # fmt: skip
        by_name[row["name"]] = row
    return by_name


def website_declaration(row: dict[str, Any], channel_names: dict[str, str]) -> WebsiteDeclaration:
    """A website as the API shows it, as the file would declare it."""
    fields = {name: row[name] for name in WebsiteDeclaration.model_fields if name in row}
    rules = dict(fields["alert_rules"])
    if rules["channels"] != "all":
        missing = [c for c in rules["channels"] if c not in channel_names]
        if missing:
            raise AmbiguousAccount(
                f"website {row['name']!r} alerts channels that no longer exist: "
                f"{', '.join(missing)}"
            )
        rules["channels"] = [channel_names[c] for c in rules["channels"]]
    fields["alert_rules"] = rules
    if fields["check_kinds"] == default_kinds(fields["url"]):
        # the scheme's own kinds go unsaid, as a hand-written file would leave them
        fields["check_kinds"] = None
    return WebsiteDeclaration.model_validate(fields)


async def read_account(api: AccountApi) -> Account:
    channel_rows = _unique_by_name(await api.channels(), "channel")
    website_rows = _unique_by_name(await api.websites(), "website")
    channels = {
        name: CurrentChannel(
            id=str(row["id"]),
            name=name,
            kind=row["kind"],
            target_mask=row["target"],
            enabled=row["enabled"],
            event_types=tuple(row["event_types"]),
        )
        for name, row in channel_rows.items()
    }
    names_by_id = {c.id: c.name for c in channels.values()}
    websites = {
        name: CurrentWebsite(str(row["id"]), website_declaration(row, names_by_id))
        for name, row in website_rows.items()
    }
    return Account(channels=channels, websites=websites)
