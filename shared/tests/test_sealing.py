from __future__ import annotations

import pytest

from pulsecheck.shared.sealing import (
    Opener,
    SealingError,
    channel_context,
    header_context,
    is_sealed,
    kid_of,
    new_key_pair,
    opener_from,
    sealer_for,
    sealer_from,
)

SECRET = "whsec-0123456789abcdef"


def _ring(*kids: str) -> tuple[str, str]:
    pairs = [new_key_pair(kid) for kid in kids]
    public = ",".join(f"{p.kid}:{p.public}" for p in pairs)
    private = ",".join(f"{p.kid}:{p.private}" for p in pairs)
    return public, private


def _flip(text: str, at: int) -> str:
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]


def test_a_sealed_value_opens_to_the_plaintext_and_does_not_contain_it() -> None:
    public, private = _ring("k1")
    sealer = sealer_from(public)
    assert sealer is not None
    sealed = sealer.seal(SECRET, channel_context("a", "secret"))
    assert is_sealed(sealed) and kid_of(sealed) == "k1" and SECRET not in sealed
    assert opener_from(private).open(sealed, channel_context("a", "secret")) == SECRET


def test_two_seals_of_one_value_differ() -> None:
    public, _ = _ring("k1")
    sealer = sealer_from(public)
    assert sealer is not None
    assert sealer.seal(SECRET, "c") != sealer.seal(SECRET, "c")


def test_the_first_public_key_seals_and_every_listed_private_key_opens() -> None:
    public, private = _ring("new", "old")
    old = sealer_for(public, "old").seal(SECRET, "c")
    new = sealer_from(public)
    assert new is not None and new.kid == "new"
    opener = opener_from(private)
    assert opener.open(old, "c") == opener.open(new.seal(SECRET, "c"), "c") == SECRET


@pytest.mark.parametrize(
    ("sealed_for", "opened_as"),
    [
        pytest.param(channel_context("A", "secret"), channel_context("B", "secret"), id="channel"),
        pytest.param(channel_context("A", "target"), channel_context("A", "secret"), id="field"),
        pytest.param(
            header_context("m1", "Authorization"),
            header_context("m2", "authorization"),
            id="monitor",
        ),
    ],
)
def test_a_value_sealed_for_one_record_does_not_open_as_another(
    sealed_for: str, opened_as: str
) -> None:
    public, private = _ring("k1")
    sealer = sealer_from(public)
    assert sealer is not None
    with pytest.raises(SealingError):
        opener_from(private).open(sealer.seal(SECRET, sealed_for), opened_as)


def test_header_context_ignores_the_case_of_the_name() -> None:
    assert header_context("m", "Authorization") == header_context("m", "AUTHORIZATION")


def test_an_unknown_kid_is_refused() -> None:
    public, _ = _ring("k1")
    _, other_private = _ring("k2")
    sealer = sealer_from(public)
    assert sealer is not None
    with pytest.raises(SealingError, match="no private key"):
        opener_from(other_private).open(sealer.seal(SECRET, "c"), "c")


def test_a_key_under_the_right_kid_but_of_another_pair_does_not_open() -> None:
    public, _ = _ring("k1")
    _, impostor = _ring("k1")
    sealer = sealer_from(public)
    assert sealer is not None
    with pytest.raises(SealingError):
        opener_from(impostor).open(sealer.seal(SECRET, "c"), "c")


@pytest.mark.parametrize("part", [2, 3, 4], ids=["epk", "nonce", "ciphertext"])
def test_a_tampered_value_is_refused(part: int) -> None:
    public, private = _ring("k1")
    sealer = sealer_from(public)
    assert sealer is not None
    parts = sealer.seal(SECRET, "c").split(".")
    parts[part] = _flip(parts[part], 3)
    with pytest.raises(SealingError):
        opener_from(private).open(".".join(parts), "c")


def test_a_relabelled_kid_is_refused() -> None:
    public, private = _ring("k1", "k2")
    sealer = sealer_from(public)
    assert sealer is not None
    relabelled = sealer.seal(SECRET, "c").replace(".k1.", ".k2.")
    with pytest.raises(SealingError):
        opener_from(private).open(relabelled, "c")


@pytest.mark.parametrize("value", ["", "pcs1.k1", "pcs1.k1.!!.AA.AA", "plain"])
def test_malformed_values_are_refused(value: str) -> None:
    with pytest.raises(SealingError):
        Opener({}).open(value, "c")


def test_values_from_before_sealing_pass_through_open_if_sealed() -> None:
    assert Opener({}).open_if_sealed("https://hooks.example/x", "c") == "https://hooks.example/x"


@pytest.mark.parametrize(
    "keys", ["k1", "k1:c2hvcnQ", "bad kid:" + "A" * 43], ids=["no-key", "short", "kid"]
)
def test_malformed_key_lists_are_refused(keys: str) -> None:
    with pytest.raises(ValueError):
        sealer_from(keys)


def test_no_public_key_seals_nothing() -> None:
    assert sealer_from(" ") is None
