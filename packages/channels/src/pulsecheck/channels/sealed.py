"""A channel's secret fields sealed (by the API, the admin CLI) and opened (by the notifier only).

Which fields are secret is the kind's `SECRET_FIELDS`; each is bound to the channel id and the
field, so a sealed value copied into another channel or field does not open.
"""

from __future__ import annotations

from pulsecheck.channels.registry import masked_target, spec_of
from pulsecheck.shared.events import ChannelConfigured
from pulsecheck.shared.sealing import Opener, Sealer, channel_context, is_sealed

# a previous webhook secret is still the channel's `secret`: rotating moves it without opening it
_FIELD_OF = {"target": "target", "secret": "secret", "previous_secret": "secret"}


def _secret_fields(channel: ChannelConfigured) -> list[str]:
    declared = spec_of(channel.kind).config.SECRET_FIELDS
    fields: list[str] = [name for name in ("target", "secret") if name in declared]
    return [*fields, "previous_secret"] if "secret" in declared else fields


def seal_channel(channel: ChannelConfigured, sealer: Sealer) -> ChannelConfigured:
    """Seals each secret field not sealed yet, and records how the target is shown."""
    changes: dict[str, str | None] = {}
    if not is_sealed(channel.target):
        changes["target_masked"] = masked_target(channel.kind, channel.target)
    for name in _secret_fields(channel):
        value = getattr(channel, name)
        if value is not None and not is_sealed(value):
            context = channel_context(channel.channel_id, _FIELD_OF[name])
            changes[name] = sealer.seal(value, context)
    return channel.model_copy(update=changes)


def open_channel(channel: ChannelConfigured, opener: Opener) -> ChannelConfigured:
    """The channel with its secret fields in the clear, or SealingError (a wrong kid, a
    tampered value or one sealed for another channel). Records from before sealing pass."""
    changes: dict[str, str] = {}
    for name in _secret_fields(channel):
        value = getattr(channel, name)
        if value is not None:
            context = channel_context(channel.channel_id, _FIELD_OF[name])
            changes[name] = opener.open_if_sealed(value, context)
    return channel.model_copy(update=changes)


def sealed_kids(channel: ChannelConfigured) -> set[str | None]:
    """The key ids its secret fields are sealed with (None: a field still in the clear)."""
    kids: set[str | None] = set()
    for name in _secret_fields(channel):
        value = getattr(channel, name)
        if value is not None:
            kids.add(value.split(".")[1] if is_sealed(value) else None)
    return kids


def resealed_channel(
    channel: ChannelConfigured, opener: Opener, sealer: Sealer
) -> ChannelConfigured | None:
    """The channel with every secret field sealed to `sealer`'s kid (fields still in the clear
    too), or None when all already are."""
    if sealed_kids(channel) <= {sealer.kid}:
        return None
    return seal_channel(open_channel(channel, opener), sealer)
