"""The explicit map from channel kind to its configuration: every list of kinds derives from
REGISTRY.

Adding a channel is one folder (`pulsecheck/channels/<kind>/`: its configuration model and
masking in `config.py`, its settings, `render`/`send` and a `build_<kind>` in `channel.py`,
plus its tests), one line here and one in `senders.SENDERS`. The kind list the API accepts,
its validation of a channel's target and secret and the JSON Schemas of the configurations are
read from here; this module imports only the pure `config.py` of each folder, so the API, the
CLI and the admin never load a provider SDK (boto3, twilio: ~2 s of imports); only the
notifier, which sends, imports `senders`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ValidationError, WithJsonSchema

from pulsecheck.channels.config import ChannelConfig
from pulsecheck.channels.email.config import EmailConfig, mask_email_address
from pulsecheck.channels.slack.config import SlackConfig
from pulsecheck.channels.sms.config import SmsConfig, mask_phone_number
from pulsecheck.channels.url_mask import mask_secret_url
from pulsecheck.channels.webhook.config import WebhookConfig
from pulsecheck.shared.events import ChannelConfigured


@dataclass(frozen=True)
class ChannelSpec:
    """One kind of channel: how its configuration is checked and shown (its sender is in
    `senders.SENDERS`)."""

    config: type[ChannelConfig]
    mask: Callable[[str], str]
    # what the target is, for API documentation
    describes: str


REGISTRY: dict[str, ChannelSpec] = {
    "sms": ChannelSpec(SmsConfig, mask_phone_number, "E.164 number"),
    "email": ChannelSpec(EmailConfig, mask_email_address, "address"),
    "slack": ChannelSpec(SlackConfig, mask_secret_url, "Slack webhook URL"),
    "webhook": ChannelSpec(WebhookConfig, mask_secret_url, "webhook URL"),
}


class UnknownChannelKind(ValueError):
    pass


def spec_of(kind: str) -> ChannelSpec:
    spec = REGISTRY.get(kind)
    if spec is None:
        raise UnknownChannelKind(f"unknown channel kind; one of {', '.join(REGISTRY)}")
    return spec


def _known(kind: str) -> str:
    spec_of(kind)
    return kind


# a channel kind as the API accepts it: one of REGISTRY's keys (an enum in OpenAPI)
KnownChannelKind = Annotated[
    str, AfterValidator(_known), WithJsonSchema({"type": "string", "enum": list(REGISTRY)})
]


def checked_config(kind: str, target: str, secret: str | None) -> ChannelConfig:
    """The kind's configuration model, or UnknownChannelKind / pydantic's ValidationError."""
    return spec_of(kind).config.model_validate({"target": target, "secret": secret})


def refusal(channel: ChannelConfigured) -> str | None:
    """Why a configured channel cannot be used (unknown kind, bad target or secret), or None.
    Consumers re-check what the API checked: a record may come from anywhere."""
    try:
        checked_config(channel.kind, channel.target, channel.secret)
    except UnknownChannelKind as exc:
        return str(exc)
    except ValidationError as exc:
        # the messages only: the input (a recipient, a secret) must not reach a log
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return None


def masked_target(kind: str, target: str) -> str:
    """How a channel's recipient is shown: never whole (an unknown kind shows nothing)."""
    spec = REGISTRY.get(kind)
    return spec.mask(target) if spec else "…"


def config_schemas() -> dict[str, dict[str, Any]]:
    """kind → the JSON Schema of its configuration (target and secret rules)."""
    schemas: dict[str, dict[str, Any]] = {}
    for kind, spec in REGISTRY.items():
        model: type[BaseModel] = spec.config
        schemas[kind] = model.model_json_schema()
    return schemas
