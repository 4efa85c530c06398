"""Monitor header credentials: which are sealed, how they are shown, kept and opened."""

from __future__ import annotations

import pytest

from pulsecheck.shared.events.common import MAX_HEADER_VALUE, HttpCheckOptions
from pulsecheck.shared.sealing import (
    SealingError,
    is_sealed,
    new_key_pair,
    opener_from,
    sealer_from,
)
from pulsecheck.shared.sealing_headers import (
    MASK,
    kept_sealed,
    masked_headers,
    opened_headers,
    seal_headers,
    sealed_header_kids,
)

PAIR = new_key_pair("h1")
SEALER = sealer_from(f"h1:{PAIR.public}")
OPENER = opener_from(f"h1:{PAIR.private}")


def _options(**headers: str) -> HttpCheckOptions:
    return HttpCheckOptions(headers=headers, secret_headers=["X-Api-Key"])


def test_credentials_and_marked_headers_are_sealed_others_left() -> None:
    assert SEALER is not None
    options = _options(
        Authorization="Bearer x", cookie="sid=1", **{"x-api-key": "k", "Accept": "*/*"}
    )
    sealed = seal_headers(options, "m-1", SEALER).headers
    assert [name for name, value in sealed.items() if is_sealed(value)] == [
        "Authorization", "cookie", "x-api-key"
    ]  # fmt: skip
    assert sealed["Accept"] == "*/*"
    assert opened_headers(sealed, "m-1", OPENER) == options.headers
    assert sealed_header_kids(HttpCheckOptions(headers=sealed)) == {"h1"}
    # sealing twice leaves a sealed value as it is
    assert seal_headers(HttpCheckOptions(headers=sealed), "m-1", SEALER).headers == sealed


def test_a_sealed_value_opens_only_for_its_monitor_and_header() -> None:
    assert SEALER is not None
    sealed = seal_headers(_options(Authorization="Bearer x"), "m-1", SEALER).headers
    with pytest.raises(SealingError):
        opened_headers(sealed, "m-2", OPENER)
    with pytest.raises(SealingError):
        opened_headers({"Cookie": sealed["Authorization"]}, "m-1", OPENER)


def test_masks_shown_and_given_back_keep_the_sealed_value() -> None:
    assert SEALER is not None
    stored = seal_headers(_options(Authorization="Bearer x", Accept="*/*"), "m-1", SEALER).headers
    shown = masked_headers(stored)
    assert shown == {"Authorization": MASK, "Accept": "*/*"}
    assert kept_sealed({"authorization": MASK, "Accept": "a"}, stored) == {
        "authorization": stored["Authorization"], "Accept": "a"
    }  # fmt: skip
    # a new value replaces; a mask with nothing sealed behind it stays a plain value
    assert kept_sealed({"Authorization": "Bearer y", "Cookie": MASK}, stored) == {
        "Authorization": "Bearer y", "Cookie": MASK
    }  # fmt: skip


def test_the_longest_plain_value_still_fits_the_contract_once_sealed() -> None:
    assert SEALER is not None
    longest = _options(Authorization="a" * MAX_HEADER_VALUE)
    sealed = seal_headers(longest, "m-1", SEALER)
    assert HttpCheckOptions.model_validate(sealed.model_dump()) == sealed
    with pytest.raises(ValueError, match="at most"):
        _options(Authorization="a" * (MAX_HEADER_VALUE + 1))
