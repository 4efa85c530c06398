"""The multi-target Dockerfile and .dockerignore, checked without Docker: each image installs
its own package from the lock, deps before source, runs a declared console script as non-root."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TARGETS = {
    "scheduler": "services/scheduler",
    "prober": "services/prober",
    "notifier": "services/notifier",
    "query-api": "services/query-api",
    "projector": "services/projector",
    "admin": "packages/admin",
}


# every workspace member but shared, as the root pyproject's `members` globs find them
WORKSPACE = sorted(
    str(p.parent.relative_to(ROOT))
    for pattern in ("services/*/pyproject.toml", "packages/*/pyproject.toml")
    for p in ROOT.glob(pattern)
)


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse_dockerfile(text: str) -> dict[str, Stage]:
    joined = re.sub(r"\\\n", " ", text)
    stages: dict[str, Stage] = {}
    current: Stage | None = None
    for raw in joined.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        if keyword == "FROM":
            match = re.fullmatch(r"(\S+) AS (\S+)", args.strip())
            assert match, f"every stage is named: {line}"
            current = stages[match[2]] = Stage(match[2], match[1])
        elif current is not None:
            current.instructions.append((keyword, " ".join(args.split())))
    return stages


def env_names(stage: Stage) -> set[str]:
    return {m for args in stage.all("ENV") for m in re.findall(r"(\w+)=", args)}


def project(package: str) -> dict[str, object]:
    loaded = tomllib.loads((ROOT / package / "pyproject.toml").read_text())["project"]
    assert isinstance(loaded, dict)
    return loaded


def workspace_closure(package: str) -> set[str]:
    """The package folder and every workspace member it depends on, transitively."""
    members = {str(project(p)["name"]): p for p in ["shared", *WORKSPACE]}
    found, todo = set(), [package]
    while todo:
        current = todo.pop()
        found.add(current)
        deps = project(current).get("dependencies", [])
        assert isinstance(deps, list)
        for dep in deps:
            name = re.split(r"[\s<>=!~\[;]", dep, maxsplit=1)[0]
            if name in members and members[name] not in found:
                todo.append(members[name])
    return found


@pytest.fixture(scope="module")
def stages() -> dict[str, Stage]:
    return parse_dockerfile((ROOT / "Dockerfile").read_text())


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_each_target_runs_its_own_package_from_the_lock(
    stages: dict[str, Stage], target: str, console_scripts: dict[str, Path]
) -> None:
    package = TARGETS[target]
    name = project(package)["name"]
    image, venv = stages[target], stages[f"venv-{target}"]
    assert image.base == "runtime"
    assert image.all("COPY") == [f"--from=venv-{target} /app/.venv /app/.venv"]
    syncs = [args for args in venv.all("RUN") if "uv sync" in args]
    assert len(syncs) == 2
    for sync in syncs:
        assert "--mount=type=cache,target=/root/.cache/uv" in sync
        assert "uv sync --frozen --no-dev" in sync and f"--package {name}" in sync
    # third-party dependencies first (their own cached layer), then our source
    assert "--no-install-workspace" in syncs[0] and "--no-editable" in syncs[1]
    kinds = [kw for kw, args in venv.instructions if kw == "COPY" or "uv sync" in args]
    assert kinds == ["RUN", *["COPY"] * (len(kinds) - 2), "RUN"]
    (command,) = [json.loads(args) for args in image.all("CMD")]
    assert console_scripts[command[0]] == ROOT / package


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_each_target_copies_the_source_of_every_workspace_package_it_needs(
    stages: dict[str, Stage], target: str
) -> None:
    copied = {src for args in stages[f"venv-{target}"].all("COPY") for src in args.split()[:-1]}
    assert copied == {f"{package}/src" for package in workspace_closure(TARGETS[target])}


def test_the_build_stage_copies_every_workspace_manifest(stages: dict[str, Stage]) -> None:
    # `uv sync --frozen` resolves the whole workspace: a missing member's pyproject breaks it
    copied = {
        src
        for args in stages["build"].all("COPY")
        if "--from" not in args
        for src in args.split()[:-1]
    }
    members = {"shared/pyproject.toml"} | {f"{package}/pyproject.toml" for package in WORKSPACE}
    assert copied == {"uv.lock", "pyproject.toml"} | members


def test_the_runtime_image_runs_as_an_unprivileged_user(stages: dict[str, Stage]) -> None:
    runtime = stages["runtime"]
    assert runtime.all("USER") == ["10001:10001"]
    assert runtime.all("WORKDIR") == ["/var/lib/pulsecheck"]
    assert not any("uv" in args for args in runtime.all("COPY"))


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_image_variables_are_settings_fields(
    stages: dict[str, Stage], target: str, settings_by_package: dict[Path, frozenset[str]]
) -> None:
    passed = {
        name
        for name in env_names(stages["runtime"]) | env_names(stages[target])
        if name.startswith("PULSECHECK_")
    }
    assert passed - settings_by_package[ROOT / TARGETS[target]] == set()


def test_compose_builds_existing_targets_into_matching_image_names(
    stages: dict[str, Stage],
) -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        if "build" in service:
            target = service["build"]["target"]
            assert target in TARGETS, name
            assert service["image"].startswith(f"pulsecheck/{target}:"), name


def _dockerignore_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for token in re.split(r"(\*\*/?|\*|\?)", pattern.strip("/")):
        parts.append(
            {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(token, re.escape(token))
        )
    return re.compile("".join(parts))


def sent_to_docker(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parents wins."""
    parents = ["/".join(path.split("/")[: i + 1]) for i in range(path.count("/") + 1)]
    included = True
    for pattern in patterns:
        negated = pattern.startswith("!")
        regex = _dockerignore_regex(pattern.removeprefix("!"))
        if any(regex.fullmatch(p) for p in parents):
            included = negated
    return included


def test_the_build_context_holds_what_the_dockerfile_copies_and_nothing_else() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    needed = ["uv.lock", "pyproject.toml", "shared/pyproject.toml"]
    for package in ["shared", *WORKSPACE]:
        needed.append(f"{package}/pyproject.toml")
        needed += [str(p.relative_to(ROOT)) for p in (ROOT / package / "src").rglob("*.py")]
    assert [path for path in needed if not sent_to_docker(path, patterns)] == []
    kept_out = [
        ".venv/bin/python",
        ".local/infra.env",
        ".git/config",
        "shared/tests/conftest.py",
        "services/prober/tests/test_tls.py",
        "shared/src/pulsecheck/shared/__pycache__/x.pyc",
    ]
    assert [path for path in kept_out if sent_to_docker(path, patterns)] == []
