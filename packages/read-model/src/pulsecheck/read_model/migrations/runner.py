"""Run Alembic programmatically: no alembic.ini to find, the URL comes from the settings."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from pulsecheck.read_model.database_url import sqlalchemy_url

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # configparser treats % as interpolation; escape it (passwords may hold one)
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)
