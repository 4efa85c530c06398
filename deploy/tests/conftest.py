"""What the deployment files must agree with, read from the code: settings classes, console
scripts, `scripts/run` and the port table in deploy/README.md."""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV_PREFIX = "PULSECHECK_"


@dataclass(frozen=True)
class RunScriptService:
    name: str
    port: int
    command: str


@dataclass(frozen=True)
class _SettingsClass:
    bases: tuple[str, ...]
    env_names: frozenset[str]


def package_dirs() -> list[Path]:
    members = [*ROOT.glob("services/*/pyproject.toml"), *ROOT.glob("packages/*/pyproject.toml")]
    return [ROOT / "shared", *sorted(p.parent for p in members)]


def _field_env_names(node: ast.AnnAssign) -> set[str]:
    assert isinstance(node.target, ast.Name)
    names = {ENV_PREFIX + node.target.id.upper()}
    # Field(alias="X") / Field(validation_alias=AliasChoices("X", "Y")) name the variable itself
    if isinstance(node.value, ast.Call):
        for keyword in node.value.keywords:
            if keyword.arg in ("alias", "validation_alias"):
                names |= {
                    n.value.upper()
                    for n in ast.walk(keyword.value)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                }
    return names


def _classes_in(src: Path) -> Iterator[tuple[str, _SettingsClass]]:
    for module in sorted(src.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(), str(module))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = tuple(ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases)
            env_names: set[str] = set()
            for item in node.body:
                if (
                    isinstance(item, ast.AnnAssign)
                    and isinstance(item.target, ast.Name)
                    and item.target.id != "model_config"
                    and "ClassVar" not in ast.unparse(item.annotation)
                ):
                    env_names |= _field_env_names(item)
            yield node.name, _SettingsClass(bases, frozenset(env_names))


def _resolve(
    name: str, own: dict[str, _SettingsClass], shared: dict[str, _SettingsClass]
) -> set[str]:
    """Env names of a settings class and its ancestors; empty for a class that is no settings."""
    cls = own.get(name) or shared.get(name)
    if cls is None:
        return set()
    names = set(cls.env_names)
    is_settings = "BaseSettings" in cls.bases
    for base in cls.bases:
        inherited = _resolve(base, own, shared)
        is_settings = is_settings or bool(inherited) or base.endswith("Settings")
        names |= inherited
    return names if is_settings else set()


def settings_env_names(package_dir: Path) -> frozenset[str]:
    """Every variable some settings class of this package (with its ancestors) reads."""
    shared = dict(_classes_in(ROOT / "shared" / "src"))
    own = dict(_classes_in(package_dir / "src"))
    names: set[str] = set()
    for name, cls in own.items():
        if "BaseSettings" in cls.bases or any(b.endswith("Settings") for b in cls.bases):
            names |= _resolve(name, own, shared)
    return frozenset(names)


@pytest.fixture(scope="session")
def console_scripts() -> dict[str, Path]:
    """Console script name -> the package folder that declares it."""
    scripts: dict[str, Path] = {}
    for package in package_dirs():
        project = tomllib.loads((package / "pyproject.toml").read_text())["project"]
        for script in project.get("scripts", {}):
            scripts[script] = package
    return scripts


def _workspace_dependencies(package_dir: Path, by_name: dict[str, Path]) -> list[Path]:
    project = tomllib.loads((package_dir / "pyproject.toml").read_text())["project"]
    names = (re.split(r"[<>=~!; \[]", dep, maxsplit=1)[0] for dep in project["dependencies"])
    return [by_name[name] for name in names if name in by_name]


@pytest.fixture(scope="session")
def settings_by_package() -> dict[Path, frozenset[str]]:
    """A package's own settings and those of the workspace packages it depends on (the
    notifier reads the channels' settings, declared in pulsecheck-channels)."""
    dirs = package_dirs()
    by_name = {
        tomllib.loads((d / "pyproject.toml").read_text())["project"]["name"]: d for d in dirs
    }
    own = {package: settings_env_names(package) for package in dirs}
    return {
        package: own[package].union(*(own[d] for d in _workspace_dependencies(package, by_name)))
        for package in dirs
    }


@pytest.fixture(scope="session")
def run_script_services() -> dict[str, RunScriptService]:
    """The SERVICES table of scripts/run: `"name health-port command"` per line."""
    text = (ROOT / "scripts" / "run").read_text()
    table = re.search(r"^SERVICES=\((.*?)^\)", text, re.S | re.M)
    assert table, "scripts/run has no SERVICES=( ... ) table"
    rows = re.findall(r'"(\S+) (\d+) (\S+)"', table.group(1))
    assert rows, "the SERVICES table of scripts/run is empty"
    return {name: RunScriptService(name, int(port), cmd) for name, port, cmd in rows}


@pytest.fixture(scope="session")
def run_script_text() -> str:
    return (ROOT / "scripts" / "run").read_text()


@pytest.fixture(scope="session")
def readme_ports() -> dict[str, tuple[str, str, int, str]]:
    """service -> (command, Dockerfile target, port, port variable) from deploy/README.md."""
    rows = re.findall(
        r"^\| (\S+) \| `(pulsecheck-\S+)` \| (\S+) \| (\d+) \| `(PULSECHECK_\w+)` \|$",
        (ROOT / "deploy" / "README.md").read_text(),
        re.M,
    )
    assert rows, "deploy/README.md lost its port table"
    return {name: (cmd, target, int(port), var) for name, cmd, target, port, var in rows}
