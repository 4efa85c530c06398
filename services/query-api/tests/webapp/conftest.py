"""Fixtures of the web app's tests: people with roles, a signed-in HTTP client, and for the
browser tests a live uvicorn server of the real app and Debian's Chromium."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.read_model.storage.invites import create_invite
from pulsecheck.read_model.storage.roles import Role
from pulsecheck.read_model.storage.users import add_membership, create_user
from pulsecheck.shared.kafka.producer import EventProducer
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
    app = create_app(web_settings, pool=pool, producer=producer)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
