from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml

from pulsecheck.cli.schema import monitors_schema, schema_text

COMMITTED = Path(__file__).resolve().parents[1] / "schema" / "monitors.schema.json"
EXAMPLE = """
channels:
  - {name: oncall, kind: slack, target_env: SLACK_URL}
websites:
  - {name: shop, url: "https://shop.example/", alert_rules: {channels: [oncall]}}
  - {name: backup, url: "heartbeat://nightly-backup", heartbeat: {schedule: "0 3 * * *"}}
"""


def test_the_committed_schema_is_the_models() -> None:
    # regenerate with: uv run pulsecheck schema -o packages/cli/schema/monitors.schema.json
    assert COMMITTED.read_text(encoding="utf-8") == schema_text()


def test_the_schema_takes_a_file_and_refuses_a_secret_in_it() -> None:
    validator = jsonschema.Draft202012Validator(monitors_schema())
    document = yaml.safe_load(EXAMPLE)
    assert list(validator.iter_errors(document)) == []
    document["channels"][0]["target"] = "https://hooks.slack.com/services/T/B/secret"
    assert list(validator.iter_errors(document)) != []
