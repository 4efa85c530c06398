"""The e2e system: target sites, channel stand-ins and every PulseCheck service, started once per
session through `scripts/run` in an isolated namespace (topic prefix, database, ports)."""

from __future__ import annotations

import asyncio
import ssl
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
import pytest
import trustme

from e2e.pulsecheck_api import NewAccount, PulseCheckApi, create_account
from e2e.running_system import SERVICES, Isolation, RunningSystem, system_env
from e2e.scenario_steps import Sites, wait_for_notifier_to_read
from e2e.web_browser import browser, sign_in_through_invite
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import delete_topics_under
from pulsecheck.testing.ports import free_port
from pulsecheck.testing.standins.channels import ChannelStandins, channel_standins
from pulsecheck.testing.standins.ses import AWS_TEST_CREDENTIALS
from pulsecheck.testing.target_sites import site_with_certificate, tls_context_for


@pytest.fixture(scope="session")
def test_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def test_ca_file(test_ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "test-ca.pem"
    test_ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture(scope="session")
def sites(test_ca: trustme.CA) -> Iterator[Sites]:
    made = Sites(
        steady=site_with_certificate(test_ca, "Steady shop", None),
        expiring=site_with_certificate(test_ca, "Expiring shop", timedelta(days=5)),
        flapping=site_with_certificate(test_ca, "Flapping shop", None),
        flapping_for_kills=site_with_certificate(test_ca, "Kill-test shop", None),
        failing=site_with_certificate(test_ca, "Fresh-start shop", None),
    )
    made.failing.go_down()
    yield made
    for site in (made.steady, made.expiring, made.flapping, made.flapping_for_kills):
        site.go_down()


@pytest.fixture(scope="session")
def channels(test_ca: trustme.CA) -> Iterator[ChannelStandins]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in AWS_TEST_CREDENTIALS.items():
            patch.setenv(name, value)
        with channel_standins(tls_context_for(test_ca)) as standins:
            yield standins


@pytest.fixture(scope="session")
def isolated_database(database_url: str) -> Iterator[str]:
    """A fresh database for the e2e system, dropped afterwards."""
    name = f"pulsecheck_e2e_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = database_url.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def e2e_topics() -> Topics:
    return Topics(prefix=f"e2e{uuid.uuid4().hex[:10]}.")


@pytest.fixture(scope="session")
def system(
    kafka_bootstrap: str,
    isolated_database: str,
    e2e_topics: Topics,
    test_ca_file: Path,
    channels: ChannelStandins,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningSystem]:
    isolation = Isolation(
        kafka_bootstrap=kafka_bootstrap,
        database_url=isolated_database,
        topic_prefix=e2e_topics.prefix,
        run_dir=tmp_path_factory.mktemp("run"),
        ports={service: free_port() for service in SERVICES},
    )
    running = RunningSystem(system_env(isolation, test_ca_file, channels.notifier_env()), isolation)
    try:
        seconds = running.up()
        print(f"\ne2e: scripts/run brought the system up in {seconds:.1f} s")
        yield running
    finally:
        running.stop()
        asyncio.run(delete_topics_under(kafka_bootstrap, e2e_topics.prefix))


@pytest.fixture(scope="session")
def account(system: RunningSystem) -> NewAccount:
    return create_account(system, "e2e shop team")


@pytest.fixture(scope="session")
def api(system: RunningSystem, account: NewAccount) -> Iterator[PulseCheckApi]:
    """The account's REST API, with the key `pulsecheck-admin` printed."""
    client = PulseCheckApi(system.url("query-api"), account.api_key)
    yield client
    client.close()


@pytest.fixture(scope="session")
def signed_in_browser(account: NewAccount, test_ca_file: Path) -> Iterator[httpx.Client]:
    """The account's owner in the web app, signed in through the link `pulsecheck-admin`
    printed; it trusts the test CA, as the owner's machine trusts the sites' real one."""
    with browser(ssl.create_default_context(cafile=str(test_ca_file))) as client:
        sign_in_through_invite(client, account.sign_in_link, "owner@shop.example.test")
        yield client


@pytest.fixture(scope="session")
def channel_ids(system: RunningSystem, api: PulseCheckApi, channels: ChannelStandins) -> list[str]:
    """Slack, SMS, email and webhook channels, once the notifier has read them."""
    created = [api.create_channel(body) for body in channels.channel_requests()]
    for channel in created:
        channels.channel_created(channel)
    wait_for_notifier_to_read(system, len(created))
    return [str(channel["id"]) for channel in created]


@pytest.fixture(autouse=True)
def stopwatch(request: pytest.FixtureRequest) -> Iterator[None]:
    """Prints how long each e2e test took (run with -s to see it)."""
    started = time.monotonic()
    yield
    print(f"\ne2e: {request.node.name} took {time.monotonic() - started:.1f} s")


# the tests that need no running system first (it starts with the first test that asks for
# it); then the fresh-start test, on a system nothing has touched; the kill test last
E2E_ORDER = {
    "test_running_system.py": 0,
    "test_probes.py": 0,
    "test_fresh_start.py": 1,
    "test_kills.py": 3,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The e2e tests after every other suite's, in E2E_ORDER (the rest, e.g. the scenario, at 2)."""
    here = Path(__file__).parent
    items.sort(key=lambda item: (here in item.path.parents, E2E_ORDER.get(item.path.name, 2)))
