"""Contract tests: golden examples round-trip, schemas match the models, bad input is typed."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pulsecheck.shared.events import (
    EVENT_MODELS,
    CheckCompleted,
    CheckRequested,
    DecodeError,
    Envelope,
    decode,
    decode_expecting,
    deterministic_event_id,
    encode,
)
from pulsecheck.shared.events.schemas import DEFAULT_DIR, render, schema_documents

GOLDEN_DIR = Path(__file__).parent / "golden"
GOLDEN_FILES = sorted(GOLDEN_DIR.glob("*.json"))


def test_every_event_type_has_a_golden_example() -> None:
    covered = {json.loads(path.read_text())["type"] for path in GOLDEN_FILES}
    assert covered == set(EVENT_MODELS)


def test_wire_types_are_explicit_and_versioned() -> None:
    for event_type, model in EVENT_MODELS.items():
        assert event_type.startswith("io.pulsecheck.")
        stem, version = event_type.rsplit(".", 1)
        # a later version stands beside the v1 it evolved from, never alone
        assert version == "v1" or f"{stem}.v1" in EVENT_MODELS
        assert model.__module__ not in event_type


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_golden_example_round_trips_unchanged(path: Path) -> None:
    decoded = decode(path.read_bytes())
    assert isinstance(decoded, Envelope), decoded
    assert json.loads(encode(decoded)) == json.loads(path.read_text())


def _encoded_by_json(envelope: Envelope) -> bytes:
    """`encode` as it was written first: the standard library's compact JSON of the head."""
    head = {
        "specversion": "1.0",
        "id": envelope.id,
        "source": envelope.source,
        "type": envelope.type,
        "time": envelope.time.isoformat(),
        "subject": envelope.subject,
        "datacontenttype": "application/json",
    }
    attributes = json.dumps(head, separators=(",", ":"), ensure_ascii=False)
    return f'{attributes[:-1]},"data":{envelope.data.model_dump_json()}}}'.encode()


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_encoding_gives_the_same_bytes_as_the_standard_library(path: Path) -> None:
    decoded = decode(path.read_bytes())
    assert isinstance(decoded, Envelope), decoded
    assert encode(decoded) == _encoded_by_json(decoded)


# every character but lone surrogates, which neither encoder can write as UTF-8
ATTRIBUTE_TEXT = st.text(st.characters(exclude_categories=["Cs"]))


# no deadline: a loaded shared box must not turn a slow example into a failure
@settings(deadline=None)
@given(ATTRIBUTE_TEXT, ATTRIBUTE_TEXT, ATTRIBUTE_TEXT)
@example('"quoted"\\', "\x00\x1f\x7f\u2028", "\n\r\t\b\f é ✓ 𝄞")
def test_any_attribute_is_encoded_as_the_standard_library_would(
    event_id: str, source: str, subject: str
) -> None:
    golden = decode((GOLDEN_DIR / "io.pulsecheck.check.completed.v1.json").read_bytes())
    assert isinstance(golden, Envelope)
    envelope = Envelope(event_id, source, golden.type, golden.time, subject, golden.data)
    assert encode(envelope) == _encoded_by_json(envelope)


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_the_expecting_decoder_gives_what_decode_gives(path: Path) -> None:
    raw = path.read_bytes()
    own_model = EVENT_MODELS[json.loads(raw)["type"]]
    for expected in {own_model, CheckCompleted, CheckRequested}:
        assert decode_expecting(raw, expected) == decode(raw), expected


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_golden_example_validates_against_exported_schemas(path: Path) -> None:
    document = json.loads(path.read_text())
    envelope_schema = json.loads((DEFAULT_DIR / "cloudevent-envelope.json").read_text())
    data_schema = json.loads((DEFAULT_DIR / f"{document['type']}.json").read_text())
    jsonschema.validate(document, envelope_schema)
    jsonschema.validate(document["data"], data_schema)


def test_exported_schemas_match_the_models() -> None:
    expected = {name: render(schema) for name, schema in schema_documents().items()}
    on_disk = {path.name: path.read_text() for path in DEFAULT_DIR.glob("*.json")}
    assert on_disk == expected, "schemas drifted: run `uv run pulsecheck-export-schemas`"


def _golden(name: str) -> dict[str, object]:
    document: dict[str, object] = json.loads((GOLDEN_DIR / name).read_text())
    return document


def _with(document: dict[str, object], **changes: object) -> bytes:
    return json.dumps({**document, **changes}).encode()


REQUESTED = "io.pulsecheck.check.requested.v1.json"


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        pytest.param(b"\x00\xffgarbage", "not_json", id="binary garbage"),
        pytest.param(b"", "not_json", id="empty"),
        pytest.param(None, "not_json", id="tombstone"),
        pytest.param(b"[1, 2]", "not_cloudevent", id="json but no envelope"),
        pytest.param(
            _with(_golden(REQUESTED), specversion="0.3"), "not_cloudevent", id="old cloudevents"
        ),
        pytest.param(
            _with(_golden(REQUESTED), type="io.pulsecheck.check.requested.v9"),
            "unknown_type",
            id="unknown version",
        ),
        pytest.param(
            _with(_golden(REQUESTED), type="com.other.thing"), "unknown_type", id="foreign type"
        ),
        pytest.param(_with(_golden(REQUESTED), data={}), "invalid_data", id="missing fields"),
        pytest.param(
            _with(
                _golden(REQUESTED),
                data={**_golden(REQUESTED)["data"], "kind": "ftp"},  # type: ignore[dict-item]
            ),
            "invalid_data",
            id="wrong field value",
        ),
    ],
)
def test_bad_input_decodes_to_a_typed_error(raw: bytes | None, kind: str) -> None:
    result = decode(raw)
    assert isinstance(result, DecodeError)
    assert result.kind == kind
    assert result.reason
    # a consumer expecting this very type gets the same typed error, not an exception
    assert decode_expecting(raw, CheckRequested) == result


def test_invalid_data_error_names_the_field() -> None:
    document = _golden(REQUESTED)
    data = dict(document["data"])  # type: ignore[call-overload]
    del data["deadline"]
    result = decode(_with(document, data=data))
    assert isinstance(result, DecodeError)
    assert "deadline" in result.reason
    assert result.event_id == document["id"]


def test_events_of_the_older_kinds_carry_no_new_field() -> None:
    # v1 subscribers forbid unknown fields: the parts added for dns must stay off their wire
    for name in (REQUESTED, "io.pulsecheck.check.completed.v1.json"):
        decoded = decode(json.dumps(_golden(name)).encode())
        assert isinstance(decoded, Envelope)
        assert "dns" not in json.loads(encode(decoded))["data"]


# no deadline: a loaded shared box must not turn a slow example into a failure
@settings(deadline=None)
@given(st.lists(st.text(st.characters(exclude_categories=["Cs"])), min_size=1, max_size=4))
@example(["io.pulsecheck.check.completed.v1", "m-1:http:2026-03-02T12:00:00Z", "eu"])
def test_deterministic_event_ids_are_uuid5_of_their_parts(parts: list[str]) -> None:
    name = "pulsecheck:" + "|".join(parts)
    assert deterministic_event_id(*parts) == str(uuid.uuid5(uuid.NAMESPACE_URL, name))
