"""The channel form: kind (fixed once made), name, target, secret, enabled, event types."""

from __future__ import annotations

from typing import Any

from pulsecheck.channels.registry import REGISTRY
from pulsecheck.webapp.forms.fields import Form, checked, comma_list, text

# the kinds come from the one registry of channels
CHANNEL_KINDS: tuple[str, ...] = tuple(REGISTRY)


def channel_fields(form: Form, *, creating: bool) -> dict[str, Any]:
    """`ChannelCreate` (or `ChannelUpdate`) input.

    On an edit a blank target or secret keeps the stored one: the form never shows them,
    since a Slack webhook URL or a signing secret is itself a credential.
    """
    fields: dict[str, Any] = {
        "name": text(form, "name"),
        "enabled": checked(form, "enabled"),
        "event_types": comma_list(form, "event_types"),
    }
    if creating:
        fields["kind"] = text(form, "kind")
    if creating or text(form, "target"):
        fields["target"] = text(form, "target")
    secret = text(form, "secret")
    if secret:
        fields["secret"] = secret
    elif creating:
        fields["secret"] = None
    return fields
