"""One PostgreSQL URL, spelled for each client that needs it."""

from __future__ import annotations


def sqlalchemy_url(database_url: str) -> str:
    """The URL with the psycopg 3 driver named, as SQLAlchemy (and so Alembic) wants it."""
    for scheme in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if database_url.startswith(scheme):
            return "postgresql+psycopg://" + database_url[len(scheme) :]
    raise ValueError("the database URL must start with postgresql://")


def libpq_url(database_url: str) -> str:
    """The URL as libpq (psycopg's connect) reads it: without a SQLAlchemy driver name."""
    if database_url.startswith("postgresql+psycopg://"):
        return "postgresql://" + database_url[len("postgresql+psycopg://") :]
    return database_url


def with_database(database_url: str, database: str) -> str:
    """The same server and credentials, another database."""
    base, _, query = database_url.partition("?")
    head, _, _ = base.rpartition("/")
    return f"{head}/{database}" + (f"?{query}" if query else "")
