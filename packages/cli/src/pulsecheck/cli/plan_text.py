"""A plan as the diff apply shows before it acts: one line per step (changed fields named, a
target never shown), then the problems, what is left alone, and the counts."""

from __future__ import annotations

from collections import Counter

from pulsecheck.cli.plan import Plan, Step

_MARKS = {"create": "+", "change": "~", "remove": "-"}


def step_line(step: Step) -> str:
    line = f"{_MARKS[step.action]} {step.subject} {step.name!r}"
    if step.action == "change":
        return f"{line}: {', '.join(step.fields)}"
    if step.action == "create" and step.subject == "channel":
        return f"{line} ({step.body['kind']})"
    return line


def plan_text(plan: Plan) -> str:
    lines = [step_line(step) for step in plan.steps]
    lines += [f"! {problem}" for problem in plan.problems]
    if plan.unmanaged:
        lines.append(f"  not in the file, kept (--prune removes): {', '.join(plan.unmanaged)}")
    counts = Counter(step.action for step in plan.steps)
    lines.append(
        f"{counts['create']} to create, {counts['change']} to change, {counts['remove']} to remove"
    )
    return "\n".join(lines) + "\n"
