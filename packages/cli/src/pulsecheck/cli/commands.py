"""`apply` and `export` over an API client: what the console entry point runs, and what the
tests drive with an in-process app."""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from typing import TextIO

from pulsecheck.cli.account_api import AccountApi
from pulsecheck.cli.account_state import read_account
from pulsecheck.cli.apply import apply_plan
from pulsecheck.cli.document import MonitorsFile
from pulsecheck.cli.file_text import DEFAULT_SCHEMA_REF, monitors_text
from pulsecheck.cli.plan import plan
from pulsecheck.cli.plan_text import plan_text


class Exit(IntEnum):
    """Exit codes: a script can tell "in step" from "changed" from "failed"."""

    UNCHANGED = 0
    FAILED = 1
    # changes were made (with --dry-run: there are changes to make)
    CHANGED = 2


async def apply_file(
    api: AccountApi,
    document: MonitorsFile,
    env: Mapping[str, str],
    out: TextIO,
    *,
    dry_run: bool = False,
    prune: bool = False,
) -> Exit:
    account = await read_account(api)
    steps = plan(document, account, env, prune)
    out.write(plan_text(steps))
    if steps.problems:
        out.write("nothing applied: fix the problems above first\n")
        return Exit.FAILED
    if not steps.steps:
        return Exit.UNCHANGED
    if dry_run:
        return Exit.CHANGED
    outcome = await apply_plan(steps, account, api)
    for name, token in sorted(outcome.ping_tokens.items()):
        out.write(f"ping token of {name!r} (shown this once): {token}\n")
    for failure in outcome.failures:
        out.write(f"! {failure}\n")
    out.write(f"applied {outcome.done} of {len(steps.steps)}\n")
    return Exit.FAILED if outcome.failures else Exit.CHANGED


async def export_text(api: AccountApi, schema_ref: str = DEFAULT_SCHEMA_REF) -> str:
    return monitors_text((await read_account(api)).as_file(), schema_ref)
