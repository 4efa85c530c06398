"""The monitors file as YAML text: read and validated, or written in a stable form (sorted by
name, fields in the model's order, defaults left out) so export → apply → export is identical."""

from __future__ import annotations

import yaml
from pydantic import ValidationError

from pulsecheck.cli.document import MonitorsFile

# where an editor's YAML language server finds the schema: next to the file, written there by
# `pulsecheck schema -o monitors.schema.json`
DEFAULT_SCHEMA_REF = "monitors.schema.json"


class InvalidFile(Exception):
    """The file is not YAML, or not a monitors file; the message names each problem's place."""


def read_monitors(text: str) -> MonitorsFile:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidFile(f"not YAML: {exc}") from None
    try:
        return MonitorsFile.model_validate({} if data is None else data)
    except ValidationError as exc:
        lines = [
            f"{'.'.join(str(part) for part in error['loc']) or 'file'}: {error['msg']}"
            for error in exc.errors()
        ]
        raise InvalidFile("\n".join(lines)) from None


def monitors_text(document: MonitorsFile, schema_ref: str = DEFAULT_SCHEMA_REF) -> str:
    body = yaml.safe_dump(document.compact_form(), sort_keys=False, allow_unicode=True, width=100)
    return f"# yaml-language-server: $schema={schema_ref}\n{body}"
