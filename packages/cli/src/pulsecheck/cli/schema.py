"""The monitors file's JSON Schema, generated from the model; the committed copy is held equal
to it by a test, so editors validate files by the rules apply uses."""

from __future__ import annotations

import json
from typing import Any

from pulsecheck.cli.document import MonitorsFile


def monitors_schema() -> dict[str, Any]:
    schema = MonitorsFile.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(monitors_schema(), indent=2, sort_keys=True) + "\n"
