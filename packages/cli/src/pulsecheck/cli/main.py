"""`pulsecheck`: monitors as code. `apply -f monitors.yaml` makes the account match the file
(a diff first; --dry-run shows only the diff), `export` writes the account as such a file,
`schema` prints the file's JSON Schema for editors."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

import httpx

from pulsecheck.cli.account_api import AccountApi, ApiRefused
from pulsecheck.cli.account_state import AmbiguousAccount
from pulsecheck.cli.commands import Exit, apply_file, export_text
from pulsecheck.cli.file_text import DEFAULT_SCHEMA_REF, InvalidFile, read_monitors
from pulsecheck.cli.schema import schema_text

DEFAULT_API_URL = "http://127.0.0.1:8000"
# a 200-monitor apply is 200 sequential requests, each waiting for the broker: per request
REQUEST_TIMEOUT_SECONDS = 30.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pulsecheck", description=__doc__)
    parser.add_argument("--api-url", default=os.environ.get("PULSECHECK_API_URL", DEFAULT_API_URL))
    parser.add_argument(
        "--api-key", default=os.environ.get("PULSECHECK_API_KEY"),
        help="default: $PULSECHECK_API_KEY",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True)
    apply = commands.add_parser("apply", help="make the account match a monitors file")
    apply.add_argument("-f", "--file", required=True, type=Path)
    apply.add_argument("--dry-run", action="store_true", help="show the diff, change nothing")
    apply.add_argument(
        "--prune", action="store_true", help="remove websites and channels the file lacks"
    )
    export = commands.add_parser("export", help="write the account as a monitors file")
    export.add_argument("-o", "--output", type=Path, help="default: standard output")
    export.add_argument("--schema-ref", default=DEFAULT_SCHEMA_REF, help="the $schema comment")
    schema = commands.add_parser("schema", help="write the monitors file's JSON Schema")
    schema.add_argument("-o", "--output", type=Path, help="default: standard output")
    return parser


async def _run(args: argparse.Namespace, api_key: str) -> Exit:
    async with httpx.AsyncClient(base_url=args.api_url, timeout=REQUEST_TIMEOUT_SECONDS) as http:
        api = AccountApi(http, api_key)
        if args.command == "apply":
            document = read_monitors(args.file.read_text(encoding="utf-8"))
            return await apply_file(
                api, document, os.environ, sys.stdout, dry_run=args.dry_run, prune=args.prune
            )
        _write(await export_text(api, args.schema_ref), args.output)
        return Exit.UNCHANGED


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "schema":
        _write(schema_text(), args.output)
        return Exit.UNCHANGED
    if not args.api_key:
        print("pulsecheck: give an API key (--api-key or PULSECHECK_API_KEY)", file=sys.stderr)
        return Exit.FAILED
    try:
        return asyncio.run(_run(args, args.api_key))
    except (InvalidFile, AmbiguousAccount, ApiRefused, httpx.TransportError, OSError) as exc:
        print(f"pulsecheck: {exc}", file=sys.stderr)
        return Exit.FAILED
