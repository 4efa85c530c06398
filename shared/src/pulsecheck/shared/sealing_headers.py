"""A monitor's header credentials sealed (by the API, the web app) and opened (by the prober only).

Authorization, Cookie and Proxy-Authorization are always secret, and so is any header a monitor
lists in `http.secret_headers`. Each value is bound to the monitor and the header's name, so a
sealed value copied into another monitor or header does not open. What people see is `MASK`;
a change that sends the mask back (or leaves the header out) keeps the sealed value.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulsecheck.shared.events.common import HttpCheckOptions
from pulsecheck.shared.sealing import Opener, Sealer, header_context, is_sealed, kid_of

# credentials a monitor gives for its own site; also never handed to another origin
CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
MASK = "********"


def secret_header_names(options: HttpCheckOptions) -> frozenset[str]:
    """Lower-cased names of the headers that are sealed and shown masked."""
    return CREDENTIAL_HEADERS | {name.lower() for name in options.secret_headers}


def seal_headers(options: HttpCheckOptions, monitor_id: str, sealer: Sealer) -> HttpCheckOptions:
    """The options with every secret header not sealed yet sealed to the prober's key."""
    secret = secret_header_names(options)
    headers = {
        name: (
            sealer.seal(value, header_context(monitor_id, name))
            if name.lower() in secret and not is_sealed(value)
            else value
        )
        for name, value in options.headers.items()
    }
    return options.model_copy(update={"headers": headers})


def kept_sealed(headers: Mapping[str, str], stored: Mapping[str, str]) -> dict[str, str]:
    """`headers` with each `MASK` given back for a stored sealed value replaced by that value
    (names compared case-insensitively, as HTTP does)."""
    sealed = {name.lower(): value for name, value in stored.items() if is_sealed(value)}
    return {
        name: sealed.get(name.lower(), value) if value == MASK else value
        for name, value in headers.items()
    }


def masked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """What the API and the web app show: sealed values as `MASK`."""
    return {name: MASK if is_sealed(value) else value for name, value in headers.items()}


def opened_headers(headers: Mapping[str, str], monitor_id: str, opener: Opener) -> dict[str, str]:
    """The headers to send, sealed ones opened; SealingError when one does not open."""
    return {
        name: opener.open_if_sealed(value, header_context(monitor_id, name))
        for name, value in headers.items()
    }


def sealed_header_kids(options: HttpCheckOptions) -> set[str]:
    return {kid_of(value) for value in options.headers.values() if is_sealed(value)}


def resealed_headers(
    options: HttpCheckOptions, monitor_id: str, opener: Opener, sealer: Sealer
) -> HttpCheckOptions | None:
    """The options with every secret header sealed to `sealer`'s kid (those still in the clear
    too), or None when all already are."""
    secret = secret_header_names(options)
    clear = [n for n, v in options.headers.items() if n.lower() in secret and not is_sealed(v)]
    if not clear and sealed_header_kids(options) <= {sealer.kid}:
        return None
    opened = opened_headers(options.headers, monitor_id, opener)
    return seal_headers(options.model_copy(update={"headers": opened}), monitor_id, sealer)
