"""Fixtures of the web app's tests: people with roles, a signed-in HTTP client, and for the
browser tests a live uvicorn server of the real app and Debian's Chromium."""

from __future__ import annotations

import os
import re
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.read_model.storage.invites import create_invite
from pulsecheck.read_model.storage.roles import Role
from pulsecheck.read_model.storage.users import add_membership, create_user
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.testing.read_model_fixtures import api_client
from pulsecheck.testing.served_apps import served_on_loopback
from pulsecheck.webapp.passwords import hash_password

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Person:
    email: str
    password: str
    account_id: uuid.UUID
    role: Role


@pytest.fixture
def web_settings(settings: QueryApiSettings) -> QueryApiSettings:
    # the tests speak plain HTTP on loopback, where a Secure cookie would never come back
    return settings.model_copy(update={"session_cookie_secure": False})


class People:
    """Puts people into accounts straight through storage, and signs clients in by the form."""

    password = PASSWORD

    def __init__(self, pool: Pool) -> None:
        self.pool = pool

    async def add(self, account_id: uuid.UUID, role: Role) -> Person:
        email = f"{role}-{uuid.uuid4().hex[:8]}@example.test"
        async with self.pool.connection() as conn:
            user_id = await create_user(conn, email, await hash_password(PASSWORD))
            assert user_id is not None
            await add_membership(conn, account_id, user_id, role)
        return Person(email, PASSWORD, account_id, role)

    async def invite(self, account_id: uuid.UUID, role: Role) -> str:
        expires = datetime.now(UTC) + timedelta(days=1)
        async with self.pool.connection() as conn:
            return await create_invite(conn, account_id, role, expires)

    @staticmethod
    def csrf_of(html: str) -> str:
        found = CSRF_FIELD.search(html)
        assert found, "the page has no CSRF field"
        return found.group(1)

    async def sign_in(self, http: httpx.AsyncClient, person: Person) -> str:
        """Signs the client in through the form; the CSRF token of the new session."""
        page = await http.get("/sign-in")
        form = {"email": person.email, "password": person.password}
        answer = await http.post("/sign-in", data={**form, "csrf_token": self.csrf_of(page.text)})
        assert answer.status_code == 303, answer.text
        return self.csrf_of((await http.get("/")).text)


@pytest.fixture
def people(pool: Pool) -> People:
    return People(pool)


@pytest.fixture
async def web(
    web_settings: QueryApiSettings, pool: Pool, producer: EventProducer
) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(web_settings, pool, producer) as http:
        yield http


CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[4]
SCREENSHOTS = Path(os.environ.get("PULSECHECK_SCREENSHOTS", ROOT / ".local" / "screenshots"))


@pytest.fixture
def app_clock() -> Callable[[], datetime]:
    """The live app's clock; a module whose results are dated overrides it."""
    return lambda: datetime.now(UTC)


@pytest.fixture
def live_server(web_settings: QueryApiSettings, app_clock: Callable[[], datetime]) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port, with its own pool and producer."""
    app = create_app(web_settings, clock=app_clock)
    # open SSE streams would hold shutdown until the browser goes: cut them after 5 s
    with served_on_loopback(app, timeout_graceful_shutdown=5) as base:
        yield base


class _Healthy(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<h1>all good</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the test output is for the tests


class StoppableSite:
    """A local website for monitors to point at; `stop` closes its port."""

    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Healthy)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.running = True

    def stop(self) -> None:
        """From now on its port refuses connections."""
        if self.running:
            self.running = False
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=10)


@pytest.fixture
def stoppable_site() -> Iterator[StoppableSite]:
    site = StoppableSite()
    yield site
    site.stop()


@pytest.fixture
def target_site(stoppable_site: StoppableSite) -> str:
    """A local website for monitors to point at."""
    return stoppable_site.url


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs it (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        # root in a container has no user namespaces for Chromium's sandbox
        launched = await playwright.chromium.launch(
            executable_path=str(chromium), args=["--no-sandbox"]
        )
        yield launched
        await launched.close()


SignIn = Callable[..., Awaitable[Page]]


@pytest.fixture
def sign_in(browser: Browser) -> SignIn:
    """Opens a page of the app at `base` signed in as `person`, by the form."""

    async def signed_in(base: str, person: Person, csp_errors: list[str] | None = None) -> Page:
        page = await browser.new_page()
        # the SSE extension must run under the strict CSP: any refusal shows in the console
        refusals = csp_errors if csp_errors is not None else []
        page.on(
            "console", lambda m: refusals.append(m.text) if "Content Security" in m.text else None
        )
        await page.goto(f"{base}/sign-in")
        await page.get_by_label("Email").fill(person.email)
        await page.get_by_label("Password").fill(person.password)
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.get_by_role("heading", name="Websites")).to_be_visible()
        return page

    return signed_in


# axe-core from npm (`npm pack axe-core`), vendored for the tests only, never served
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


async def accessibility_problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        # evaluated through the DevTools protocol, which the page's CSP does not govern
        await page.evaluate(AXE.read_text())
    violations = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]


class Screenshots:
    """Photographs each page a flow passes, and checks it with axe-core on the way."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def take(self, page: Page, name: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)
        problems = await accessibility_problems(page)
        assert problems == [], f"{name}: {problems}"


@pytest.fixture
def screenshots() -> Screenshots:
    return Screenshots(SCREENSHOTS)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SCREENSHOTS.exists():
        terminalreporter.write_line(f"web app screenshots: {SCREENSHOTS}")
