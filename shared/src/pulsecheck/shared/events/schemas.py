"""Export the JSON Schema of every event (payload and envelope) to a committed folder, and
the AsyncAPI document of the public topics beside it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pulsecheck.shared.events.asyncapi import asyncapi_document
from pulsecheck.shared.events.envelope import CloudEvent
from pulsecheck.shared.events.registry import EVENT_MODELS
from pulsecheck.shared.kafka.deadletter import DeadLetterRecord

DEFAULT_DIR = Path(__file__).resolve().parents[4] / "schemas"
ASYNCAPI_FILE = DEFAULT_DIR.parent / "asyncapi.json"


def schema_documents() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, for every contract other teams may consume."""
    documents: dict[str, dict[str, Any]] = {}
    for event_type, model in sorted(EVENT_MODELS.items()):
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"https://pulsecheck.io/schemas/{event_type}.json"
        schema["x-cloudevents-type"] = event_type
        documents[f"{event_type}.json"] = schema
    documents["cloudevent-envelope.json"] = CloudEvent.model_json_schema(mode="serialization")
    documents["deadletter.json"] = DeadLetterRecord.model_json_schema(mode="serialization")
    return documents


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, schema in schema_documents().items():
        (args.out / name).write_text(render(schema))
    print(f"wrote {len(schema_documents())} schemas to {args.out}")
    ASYNCAPI_FILE.write_text(render(asyncapi_document()))
    print(f"wrote {ASYNCAPI_FILE}")
