"""The AsyncAPI document: generated from the models, valid AsyncAPI 3.0, every $ref resolves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pulsecheck.shared.events.asyncapi import asyncapi_document
from pulsecheck.shared.events.schemas import ASYNCAPI_FILE, render
from pulsecheck.shared.topics import Topics

HERE = Path(__file__).parent
SPEC_SCHEMA = HERE / "asyncapi" / "asyncapi-3.0.0.schema.json"
GOLDEN = sorted((HERE / "golden").glob("*.json"))


def _document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(ASYNCAPI_FILE.read_text())
    return document


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(document: dict[str, Any], ref: str) -> object:
    assert ref.startswith("#/"), ref
    node: object = document
    for part in ref[2:].split("/"):
        assert isinstance(node, dict) and part in node, ref
        node = node[part]
    return node


def test_checked_in_document_matches_the_models() -> None:
    assert ASYNCAPI_FILE.read_text() == render(asyncapi_document()), (
        "asyncapi.json drifted: run `uv run pulsecheck-export-schemas`"
    )


def test_document_is_valid_asyncapi_3() -> None:
    document = _document()
    assert document["asyncapi"] == "3.0.0"
    schema = json.loads(SPEC_SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(document)


def test_the_spec_schema_refuses_a_broken_document() -> None:
    broken = _document()
    broken["operations"]["receiveAlerts"]["action"] = "consume"
    schema = json.loads(SPEC_SCHEMA.read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validators.validator_for(schema)(schema).validate(broken)


def test_every_ref_resolves() -> None:
    document = _document()
    refs = set(_refs(document))
    assert refs
    for ref in refs:
        _resolve(document, ref)


def test_the_public_topics_are_the_channels() -> None:
    topics = Topics()
    addresses = {channel["address"] for channel in _document()["channels"].values()}
    assert addresses == {
        topics.monitors,
        topics.checks_requested,
        topics.checks_completed,
        topics.heartbeats,
        topics.alerts,
        topics.deadletter,
    }


def _carried_types() -> set[str]:
    return {m["title"] for m in _document()["components"]["messages"].values()}


def test_only_internal_and_future_events_are_carried_by_no_public_topic() -> None:
    golden_types = {json.loads(p.read_text())["type"] for p in GOLDEN}
    # channels and their tests travel on internal topics; check.completed.v2 waits until
    # producers emit it
    assert golden_types - _carried_types() == {
        "io.pulsecheck.channel.configured.v1",
        "io.pulsecheck.channel.removed.v1",
        "io.pulsecheck.channel.test_requested.v1",
        "io.pulsecheck.check.completed.v2",
    }


CARRIED_GOLDEN = [p for p in GOLDEN if json.loads(p.read_text())["type"] in _carried_types()]


@pytest.mark.parametrize("path", CARRIED_GOLDEN, ids=lambda p: p.name)
def test_a_golden_event_matches_its_message(path: Path) -> None:
    document = _document()
    event = json.loads(path.read_text())
    (name,) = [
        name
        for name, message in document["components"]["messages"].items()
        if message["title"] == event["type"]
    ]
    schema = {
        "components": document["components"],
        "$ref": f"#/components/messages/{name}/payload",
    }
    jsonschema.Draft202012Validator(schema).validate(event)
