"""docker-compose.yml, checked without Docker: the Compose Specification's JSON Schema, failing
fast on missing secrets, healthchecks, and agreement with scripts/run and the services' code."""

from __future__ import annotations

import copy
import importlib.metadata
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / "deploy" / "compose.env.example"
ONE_SHOT = {"kafka-acls", "init"}
THIRD_PARTY = {"kafka", "postgres"}
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, $VAR, $$
_INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>\w+)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}|(?P<bare>\w+))"
)


class MissingVariableError(Exception):
    pass


def _substitute(text: str, env: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["bare"]
        op, arg = match["op"], match["arg"] or ""
        value = env.get(name)
        empty = not value
        if op in (":?", "?") and (value is None or (op == ":?" and empty)):
            raise MissingVariableError(f"{name}: {arg}")
        if op in (":-", "-") and (value is None or (op == ":-" and empty)):
            return arg
        if op in (":+", "+"):
            return arg if value is not None and not (op == ":+" and empty) else ""
        return value or ""

    return _INTERPOLATION.sub(replace, text)


def interpolate(node: Any, env: Mapping[str, str]) -> Any:
    """What `docker compose config` does to the values (not the keys) before validating."""
    if isinstance(node, dict):
        return {key: interpolate(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(item, env) for item in node]
    if isinstance(node, str):
        return _substitute(node, env)
    return node


def referenced_variables(text: str) -> dict[str, str | None]:
    """Variable -> its operator (None for plain ${VAR}), comment lines excluded."""
    code = "\n".join(
        line.split(" #")[0] for line in text.splitlines() if not line.lstrip().startswith("#")
    )
    return {
        match["braced"] or match["bare"]: match["op"]
        for match in _INTERPOLATION.finditer(code)
        if not match["escaped"]
    }


def env_example() -> tuple[dict[str, str], set[str]]:
    """(required values to use, optional names) from deploy/compose.env.example."""
    required: dict[str, str] = {}
    optional: set[str] = set()
    for line in ENV_EXAMPLE.read_text().splitlines():
        if match := re.fullmatch(r"(\w+)=(.*)", line.strip()):
            required[match[1]] = match[2]
        elif match := re.fullmatch(r"#\s*([A-Z][A-Z0-9_]*)=(.*)", line.strip()):
            optional.add(match[1])
    return required, optional


def commands_in(argv: list[str]) -> list[list[str]]:
    """The commands an argv runs, `sh -ec "a && b x"` included: [["a"], ["b", "x"]]."""
    if argv[:1] == ["sh"] and len(argv) >= 3:
        return [part.split() for part in re.split(r"&&|;|\|\|", argv[-1]) if part.strip()]
    return [argv]


@pytest.fixture(scope="module")
def compose_text() -> str:
    return COMPOSE_FILE.read_text()


@pytest.fixture(scope="module")
def compose(compose_text: str) -> dict[str, Any]:
    required, _ = env_example()
    rendered = interpolate(yaml.safe_load(compose_text), required)
    assert isinstance(rendered, dict)
    return rendered


@pytest.fixture(scope="module")
def compose_validator() -> jsonschema.protocols.Validator:
    # the Compose Specification schema as vendored by check-jsonschema (read, not imported)
    path = importlib.metadata.distribution("check-jsonschema").locate_file(
        "check_jsonschema/builtin_schemas/vendor/compose-spec.json"
    )
    schema = json.loads(Path(str(path)).read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _errors(validator: jsonschema.protocols.Validator, document: object) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def _pulsecheck_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in compose["services"].items() if name not in THIRD_PARTY}


def test_compose_file_matches_the_compose_specification(
    compose: dict[str, Any], compose_validator: jsonschema.protocols.Validator
) -> None:
    assert _errors(compose_validator, compose) == []


def test_schema_check_rejects_a_wrong_dependency_condition(
    compose: dict[str, Any], compose_validator: jsonschema.protocols.Validator
) -> None:
    broken = copy.deepcopy(compose)
    broken["services"]["scheduler"]["depends_on"]["kafka"]["condition"] = "service_ready"
    assert any("depends_on" in error for error in _errors(compose_validator, broken))


@pytest.mark.parametrize("secret", sorted(env_example()[0]))
def test_compose_refuses_to_start_without_a_required_secret(compose_text: str, secret: str) -> None:
    required, _ = env_example()
    without = {name: value for name, value in required.items() if name != secret}
    with pytest.raises(MissingVariableError, match=rf"^{secret}: set {secret}"):
        interpolate(yaml.safe_load(compose_text), without)


def test_every_required_variable_fails_fast_and_every_variable_is_documented(
    compose_text: str,
) -> None:
    required, optional = env_example()
    used = referenced_variables(compose_text)
    assert {name for name, op in used.items() if op == ":?"} == set(required)
    assert set(used) == set(required) | optional
    assert {name for name, op in used.items() if op is None} == set(), "give a default or :?"


def test_long_running_services_have_healthchecks(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        if name in ONE_SHOT:
            assert service["restart"] == "no"
            assert "healthcheck" not in service
        else:
            assert service["healthcheck"]["test"], name
            assert service["restart"] == "unless-stopped", name


def test_services_start_only_after_healthy_dependencies_and_a_finished_init(
    compose: dict[str, Any],
) -> None:
    # the ACLs first: until then the topics init (its own Kafka user) may create nothing
    one_shots = {
        "kafka-acls": {},
        "init": {"kafka-acls": "service_completed_successfully", "postgres": "service_healthy"},
    }
    for name, service in _pulsecheck_services(compose).items():
        conditions = {dep: spec["condition"] for dep, spec in service["depends_on"].items()}
        assert conditions.pop("kafka") == "service_healthy", name
        if name in ONE_SHOT:
            assert conditions == one_shots[name], name
        else:
            assert conditions.pop("init") == "service_completed_successfully", name
            assert set(conditions.values()) <= {"service_healthy"}, name


def test_pulsecheck_containers_are_locked_down(compose: dict[str, Any]) -> None:
    for name, service in _pulsecheck_services(compose).items():
        assert service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in service["security_opt"], name
        assert any(mount.startswith("/tmp") for mount in service["tmpfs"]), name
        assert "container_name" not in service, f"{name}: would forbid --scale"


def test_services_match_the_run_script_and_the_port_table(
    compose: dict[str, Any],
    run_script_services: dict[str, Any],
    readme_ports: dict[str, tuple[str, str, int, str]],
) -> None:
    long_running = set(_pulsecheck_services(compose)) - ONE_SHOT
    assert long_running == set(run_script_services) == set(readme_ports)
    for name in long_running:
        service = compose["services"][name]
        command, target, port, port_variable = readme_ports[name]
        assert service["command"] == [command] == [run_script_services[name].command], name
        assert run_script_services[name].port == port, name
        assert service["build"]["target"] == target, name
        assert service["environment"][port_variable] == str(port), name
        assert f"http://127.0.0.1:{port}/" in " ".join(service["healthcheck"]["test"]), name


def test_init_runs_the_run_scripts_one_shot_commands_in_order(
    compose: dict[str, Any], run_script_text: str
) -> None:
    steps = [" ".join(cmd) for cmd in commands_in(compose["services"]["init"]["command"])]
    assert steps == ["pulsecheck-topics", "pulsecheck-admin migrate"]
    positions = [run_script_text.index(f"uv run --frozen {step}\n") for step in steps]
    assert positions == sorted(positions)


def test_every_command_is_a_declared_console_script(
    compose: dict[str, Any], console_scripts: dict[str, Path]
) -> None:
    for name, service in _pulsecheck_services(compose).items():
        for argv in commands_in(service["command"]):
            assert argv[0] in console_scripts, f"{name}: {argv[0]} is in no [project.scripts]"


def test_every_pulsecheck_variable_is_a_settings_field_of_its_service(
    compose: dict[str, Any],
    console_scripts: dict[str, Path],
    settings_by_package: dict[Path, frozenset[str]],
) -> None:
    unknown: dict[str, list[str]] = {}
    for name, service in _pulsecheck_services(compose).items():
        packages = {console_scripts[argv[0]] for argv in commands_in(service["command"])}
        known = set().union(*(settings_by_package[p] for p in packages))
        passed = {var for var in service["environment"] if var.startswith("PULSECHECK_")}
        if missing := sorted(passed - known):
            unknown[name] = missing
    # pydantic-settings ignores unknown variables, so a typo here would be silently lost
    assert not unknown, "variables no settings class of the service declares:\n" + "\n".join(
        f"  {name}: {', '.join(names)}" for name, names in sorted(unknown.items())
    )


# who holds which sealing key: producers seal with the public halves; each private half
# reaches only the one consumer that must use the secret (none reaches the API)
SEALING_KEYS = {
    "query-api": {"PULSECHECK_SEALING_PUBLIC_KEYS", "PULSECHECK_HEADER_SEALING_PUBLIC_KEYS"},
    "init": {"PULSECHECK_SEALING_PUBLIC_KEYS", "PULSECHECK_HEADER_SEALING_PUBLIC_KEYS"},
    "kafka-acls": set(),
    "notifier": {"PULSECHECK_SEALING_PRIVATE_KEYS"},
    "prober": {"PULSECHECK_HEADER_SEALING_PRIVATE_KEYS"},
    "scheduler": set(),
    "projector": set(),
}


def test_each_service_gets_exactly_its_sealing_keys_from_the_env_file(
    compose: dict[str, Any], compose_text: str
) -> None:
    services = _pulsecheck_services(compose)
    assert set(services) == set(SEALING_KEYS)
    for name, service in services.items():
        passed = {var for var in service["environment"] if "SEALING" in var}
        assert passed == SEALING_KEYS[name], name
    # the values come only from .env (required, so a missing key stops compose), never the file
    used = referenced_variables(compose_text)
    for variable in ("SEALING_PUBLIC_KEYS", "SEALING_PRIVATE_KEYS"):
        for kind in ("", "HEADER_"):
            assert used[f"{kind}{variable}"] == ":?"
    raw = yaml.safe_load(compose_text)["services"]
    for name in ("notifier", "prober"):
        values = [v for k, v in raw[name]["environment"].items() if "SEALING" in k]
        assert all(v.startswith("${") for v in values), name
