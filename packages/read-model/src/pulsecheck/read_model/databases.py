"""Throwaway databases on one server: each test run migrates its own, then drops it."""

from __future__ import annotations

import uuid

import psycopg

from pulsecheck.read_model.database_url import libpq_url, with_database


def create_database(server_url: str) -> str:
    """A new empty database beside the one `server_url` names; its URL."""
    name = f"pcq_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return with_database(server_url, name)


def drop_database(server_url: str, url: str) -> None:
    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
