"""deploy/k8s, checked without a cluster: `kustomize build` of base, dev and prod, every object
against the Kubernetes OpenAPI schemas, then what the schemas cannot see (hardening, probes,
selectors, references, agreement with scripts/run and the services' settings)."""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
BUILDS = {"base": K8S / "base", "dev": K8S / "overlays" / "dev", "prod": K8S / "overlays" / "prod"}
# the oldest Kubernetes minor still in wide use that the manifests must fit
KUBERNETES_VERSION = "1.30"
EXTERNAL_SECRETS = {"pulsecheck-database", "pulsecheck-notifier"}
WORKLOADS = ("Deployment", "StatefulSet", "Job")
Object = dict[str, Any]


@pytest.fixture(scope="session")
def kustomize() -> str:
    installed = subprocess.run(
        [str(ROOT / "scripts" / "install-kustomize")],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return installed.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def built(kustomize: str) -> dict[str, list[Object]]:
    manifests = {}
    for name, folder in BUILDS.items():
        result = subprocess.run(
            [kustomize, "build", str(folder)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, f"kustomize build {name}: {result.stderr}"
        manifests[name] = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    return manifests


def of_kind(objects: list[Object], *kinds: str) -> list[Object]:
    return [o for o in objects if o["kind"] in kinds]


def named(objects: list[Object], kind: str, name: str) -> Object:
    (found,) = [o for o in of_kind(objects, kind) if o["metadata"]["name"] == name]
    return found


def pod_spec(workload: Object) -> Object:
    spec: Object = workload["spec"]["template"]["spec"]
    return spec


def containers(workload: Object) -> Iterator[Object]:
    spec = pod_spec(workload)
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def is_pulsecheck(obj: Object) -> bool:
    labels = obj["metadata"].get("labels", {})
    return bool(labels.get("app.kubernetes.io/part-of") == "pulsecheck")


def env_value(container: Object, name: str) -> str:
    (value,) = [e["value"] for e in container.get("env", []) if e["name"] == name]
    return str(value)


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_every_object_passes_kubernetes_schema_validation(
    built: dict[str, list[Object]], build: str
) -> None:
    failures = []
    for obj in built[build]:
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = ".".join(map(str, error.path))
            failures.append(f"{obj['kind']}/{obj['metadata']['name']}: {path}: {error.message}")
    assert failures == []


def test_schema_validation_rejects_a_misspelt_field(built: dict[str, list[Object]]) -> None:
    deployment = copy.deepcopy(of_kind(built["base"], "Deployment")[0])
    pod_spec(deployment)["containers"][0]["readinessprobe"] = {"tcpSocket": {"port": 1}}
    with pytest.raises(kubernetes_validate.ValidationError, match="readinessprobe"):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_base_has_every_kind_the_deployment_needs(built: dict[str, list[Object]]) -> None:
    kinds = {o["kind"] for o in built["base"]}
    assert kinds == {
        "ConfigMap",
        "Deployment",
        "Service",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "Job",
    }
    names = {o["metadata"]["name"] for o in of_kind(built["base"], "Deployment")}
    assert names == {f"pulsecheck-{s}" for s in ("query-api", "projector", "scheduler")} | {
        "pulsecheck-prober",
        "pulsecheck-notifier",
    }


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_pulsecheck_pods_are_non_root_read_only_and_bounded(
    built: dict[str, list[Object]], build: str
) -> None:
    for workload in of_kind(built[build], *WORKLOADS):
        spec, where = pod_spec(workload), workload["metadata"]["name"]
        assert spec["securityContext"]["runAsNonRoot"] is True, where
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, where
        assert spec["automountServiceAccountToken"] is False, where
        for container in containers(workload):
            resources = container["resources"]
            assert set(resources["requests"]) == set(resources["limits"]) == {"cpu", "memory"}
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["capabilities"] == {"drop": ["ALL"]}, where
            if is_pulsecheck(workload):
                # the image's user; its only writable places are emptyDir volumes
                assert spec["securityContext"]["runAsUser"] == 10001, where
                assert context["readOnlyRootFilesystem"] is True, where
                mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
                empty_dirs = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
                assert mounts["/tmp"] in empty_dirs, where


def test_deployments_probe_the_ports_of_the_run_script(
    built: dict[str, list[Object]],
    run_script_services: dict[str, Any],
    readme_ports: dict[str, tuple[str, str, int, str]],
) -> None:
    deployments = of_kind(built["base"], "Deployment")
    assert {d["metadata"]["labels"]["app.kubernetes.io/name"] for d in deployments} == set(
        run_script_services
    )
    for deployment in deployments:
        service = deployment["metadata"]["labels"]["app.kubernetes.io/name"]
        command, target, port, port_variable = readme_ports[service]
        (container,) = pod_spec(deployment)["containers"]
        assert container["command"] == [command] == [run_script_services[service].command]
        assert container["image"] == f"pulsecheck/{target}:0.1.0"
        assert run_script_services[service].port == port
        (container_port,) = container["ports"]
        assert container_port["containerPort"] == port
        assert env_value(container, port_variable) == str(port)
        probes = {kind: container[f"{kind}Probe"]["httpGet"] for kind in ("startup", "liveness")}
        probes["readiness"] = container["readinessProbe"]["httpGet"]
        for kind, probe in probes.items():
            assert probe["port"] == container_port["name"], f"{service} {kind}"
            assert probe["path"] == ("/readyz" if kind == "readiness" else "/healthz")


def test_the_init_job_runs_topics_then_migrations(
    built: dict[str, list[Object]], run_script_text: str
) -> None:
    job = named(built["base"], "Job", "pulsecheck-init")
    steps = [" ".join(c["command"]) for c in containers(job)]
    assert steps == ["pulsecheck-topics", "pulsecheck-admin migrate"]
    assert pod_spec(job)["restartPolicy"] == "Never"
    positions = [run_script_text.index(f"uv run --frozen {step}\n") for step in steps]
    assert positions == sorted(positions)


def _selects(selector: dict[str, str], workload: Object) -> bool:
    labels = workload["spec"]["template"]["metadata"]["labels"]
    return all(labels.get(key) == value for key, value in selector.items())


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_services_and_budgets_select_exactly_one_workload(
    built: dict[str, list[Object]], build: str
) -> None:
    objects = built[build]
    workloads = of_kind(objects, "Deployment", "StatefulSet")
    for obj in of_kind(objects, "Service", "PodDisruptionBudget"):
        selector = obj["spec"]["selector"]
        selector = selector.get("matchLabels", selector)
        matches = [w["metadata"]["name"] for w in workloads if _selects(selector, w)]
        assert len(matches) == 1, f"{obj['kind']}/{obj['metadata']['name']} selects {matches}"
    budgeted = {
        w["metadata"]["name"]
        for w in workloads
        for pdb in of_kind(objects, "PodDisruptionBudget")
        if _selects(pdb["spec"]["selector"]["matchLabels"], w)
    }
    assert budgeted == {w["metadata"]["name"] for w in workloads if is_pulsecheck(w)}


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_every_prober_is_autoscaled_and_nothing_else_is(
    built: dict[str, list[Object]], build: str
) -> None:
    objects = built[build]
    scaled = {
        h["spec"]["scaleTargetRef"]["name"] for h in of_kind(objects, "HorizontalPodAutoscaler")
    }
    probers = {
        d["metadata"]["name"]
        for d in of_kind(objects, "Deployment")
        if d["metadata"]["labels"]["app.kubernetes.io/name"] == "prober"
    }
    assert scaled == probers
    for prober in probers:
        # a replica count in the manifest would fight the autoscaler on every apply
        assert "replicas" not in named(objects, "Deployment", prober)["spec"]


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_every_referenced_config_map_and_secret_exists(
    built: dict[str, list[Object]], build: str
) -> None:
    objects = built[build]
    config_maps = {o["metadata"]["name"] for o in of_kind(objects, "ConfigMap")}
    secrets = {o["metadata"]["name"] for o in of_kind(objects, "Secret")}
    for workload in of_kind(objects, *WORKLOADS):
        for container in containers(workload):
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in config_maps
                else:
                    assert source["secretRef"]["name"] in secrets | EXTERNAL_SECRETS
    if build == "dev":
        assert secrets >= EXTERNAL_SECRETS, "the dev overlay ships the example Secrets"
    else:
        assert secrets == set(), "real secrets are created outside the repository"


def _passed_variables(container: Object, objects: list[Object], dev: list[Object]) -> set[str]:
    names = {e["name"] for e in container.get("env", [])}
    for source in container.get("envFrom", []):
        kind, ref = (
            ("ConfigMap", "configMapRef") if "configMapRef" in source else ("Secret", "secretRef")
        )
        # Secrets are not in the base or prod builds: their keys are those of the dev examples
        pool = objects if kind == "ConfigMap" else dev
        obj = named(pool, kind, source[ref]["name"])
        names |= set(obj.get("data", {})) | set(obj.get("stringData", {}))
    return names


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_every_pulsecheck_variable_is_a_settings_field_of_its_service(
    built: dict[str, list[Object]],
    build: str,
    console_scripts: dict[str, Path],
    settings_by_package: dict[Path, frozenset[str]],
) -> None:
    unknown: dict[str, list[str]] = {}
    for workload in filter(is_pulsecheck, of_kind(built[build], *WORKLOADS)):
        for container in containers(workload):
            known = settings_by_package[console_scripts[container["command"][0]]]
            passed = _passed_variables(container, built[build], built["dev"])
            prefixed = {name for name in passed if name.startswith("PULSECHECK_")}
            if missing := sorted(prefixed - known):
                unknown[f"{workload['metadata']['name']}/{container['name']}"] = missing
    assert not unknown, "variables no settings class of the service declares:\n" + "\n".join(
        f"  {name}: {', '.join(names)}" for name, names in sorted(unknown.items())
    )


def test_prod_runs_one_autoscaled_prober_per_region(built: dict[str, list[Object]]) -> None:
    prod = built["prod"]
    for region in ("eu-west", "us-east"):
        name = f"pulsecheck-prober-{region}"
        deployment = named(prod, "Deployment", name)
        (container,) = pod_spec(deployment)["containers"]
        assert env_value(container, "PULSECHECK_REGION") == region
        assert pod_spec(deployment)["nodeSelector"] == {"topology.kubernetes.io/region": region}
        assert named(prod, "HorizontalPodAutoscaler", name)["spec"]["minReplicas"] >= 2
        budget = named(prod, "PodDisruptionBudget", name)
        assert budget["spec"]["selector"]["matchLabels"]["pulsecheck.io/region"] == region
    assert not [
        d for d in of_kind(prod, "Deployment") if d["metadata"]["name"] == "pulsecheck-prober"
    ]


def test_prod_runs_several_replicas_spread_over_zones(built: dict[str, list[Object]]) -> None:
    prod = built["prod"]
    config = of_kind(prod, "ConfigMap")
    (common,) = [c for c in config if c["metadata"]["name"].startswith("pulsecheck-config-")]
    assert int(common["data"]["PULSECHECK_REPLICATION_FACTOR"]) >= 3
    for deployment in of_kind(prod, "Deployment"):
        where = deployment["metadata"]["name"]
        if "-prober-" not in where:
            assert deployment["spec"]["replicas"] >= 2, where
        keys = {c["topologyKey"] for c in pod_spec(deployment)["topologySpreadConstraints"]}
        assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}, where
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        for constraint in pod_spec(deployment)["topologySpreadConstraints"]:
            assert _selects(constraint["labelSelector"]["matchLabels"], deployment), where
            assert set(constraint["matchLabelKeys"]) - {"pod-template-hash"} <= set(labels)


@pytest.mark.parametrize("build", ["dev", "prod"])
def test_overlays_live_in_a_namespace_that_enforces_the_restricted_profile(
    built: dict[str, list[Object]], build: str
) -> None:
    (namespace,) = of_kind(built[build], "Namespace")
    labels = namespace["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    name = namespace["metadata"]["name"]
    assert {o["metadata"].get("namespace") for o in built[build] if o is not namespace} == {name}


# who holds which sealing key, by command: each private half reaches the one consumer that must
# open those secrets; producers get the public halves (none reaches the API)
SEALING_SECRETS = {
    "PULSECHECK_SEALING_PUBLIC_KEYS": "pulsecheck-sealing-public",
    "PULSECHECK_HEADER_SEALING_PUBLIC_KEYS": "pulsecheck-sealing-public",
    "PULSECHECK_SEALING_PRIVATE_KEYS": "pulsecheck-sealing-channels",
    "PULSECHECK_HEADER_SEALING_PRIVATE_KEYS": "pulsecheck-sealing-headers",
}
SEALING_KEYS = {
    "pulsecheck-query-api": {
        "PULSECHECK_SEALING_PUBLIC_KEYS",
        "PULSECHECK_HEADER_SEALING_PUBLIC_KEYS",
    },
    "pulsecheck-notifier": {"PULSECHECK_SEALING_PRIVATE_KEYS"},
    "pulsecheck-prober": {"PULSECHECK_HEADER_SEALING_PRIVATE_KEYS"},
}


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_each_workload_gets_exactly_its_sealing_keys_from_a_secret_made_outside(
    built: dict[str, list[Object]], build: str
) -> None:
    objects = built[build]
    # never committed, not even as dev examples: made with `pulsecheck-admin seal-keygen`
    in_build = {o["metadata"]["name"] for o in of_kind(objects, "Secret")}
    assert not in_build & set(SEALING_SECRETS.values())
    seen = set()
    for workload in filter(is_pulsecheck, of_kind(objects, *WORKLOADS)):
        for container in containers(workload):
            envs = {e["name"]: e for e in container.get("env", []) if "SEALING" in e["name"]}
            sources = [s.get("secretRef", {}).get("name", "") for s in container.get("envFrom", [])]
            assert not any(name.startswith("pulsecheck-sealing") for name in sources)
            command = container["command"][0]
            assert set(envs) == SEALING_KEYS.get(command, set()), workload["metadata"]["name"]
            for name, entry in envs.items():
                assert entry["valueFrom"]["secretKeyRef"]["name"] == SEALING_SECRETS[name]
            seen |= set(envs)
    assert seen == set(SEALING_SECRETS), "every key reaches its holder"
