"""How a URL that is itself a secret (Slack and webhook targets) is shown: host and a tail."""

from __future__ import annotations


def mask_secret_url(target: str) -> str:
    """ "https://hooks.slack.com/services/T0/B0/abcdefSECRET" → "https://hooks.slack.com/…CRET"."""
    scheme, _, rest = target.partition("://")
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}/…{target[-4:]}" if len(rest) > len(host) + 5 else target
