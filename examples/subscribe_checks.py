"""Follow PulseCheck's check results from your own service, with only the published JSON Schemas.

    pip install aiokafka jsonschema
    python examples/subscribe_checks.py --bootstrap 127.0.0.1:19092 --schemas shared/schemas

Nothing here imports PulseCheck: the CloudEvents envelope and the payload are validated against
`shared/schemas/*.json`, the public contract. Unknown event types are skipped, so new versions
(`...v2`) never break an old subscriber.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

import jsonschema
from aiokafka import AIOKafkaConsumer

COMPLETED = "io.pulsecheck.check.completed.v1"


def load_validators(schema_dir: Path) -> dict[str, jsonschema.Draft202012Validator]:
    """One validator per file: the envelope's and one per event type."""
    return {
        path.stem: jsonschema.Draft202012Validator(json.loads(path.read_text()))
        for path in schema_dir.glob("*.json")
    }


def read_check(raw: bytes, validators: dict[str, jsonschema.Draft202012Validator]) -> Any:
    """The validated `data` of a CheckCompleted, or None for any other (or unknown) event."""
    event = json.loads(raw)
    validators["cloudevent-envelope"].validate(event)
    if event["type"] != COMPLETED:
        return None
    validators[COMPLETED].validate(event["data"])
    return event["data"]


async def follow(bootstrap: str, schema_dir: Path, group: str) -> None:
    validators = load_validators(schema_dir)
    consumer = AIOKafkaConsumer(
        "pulsecheck.checks.completed",
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="latest",
    )
    await consumer.start()
    try:
        async for record in consumer:
            check = read_check(record.value, validators)
            if check is not None:
                print(check["monitor_id"], check["kind"], check["outcome"], check["region"])
    finally:
        await consumer.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", default="127.0.0.1:19092")
    parser.add_argument("--schemas", type=Path, default=Path("shared/schemas"))
    parser.add_argument("--group", default="my-team-check-follower")
    args = parser.parse_args()
    asyncio.run(follow(args.bootstrap, args.schemas, args.group))


if __name__ == "__main__":
    main()
