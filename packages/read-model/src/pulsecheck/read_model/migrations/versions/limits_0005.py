"""Tenant limits: per-account overrides of the deployment's quotas, and the TCP port switch.

NULL means "the deployment's default" (a setting), so a default can change without a
migration and without rewriting every account.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UPGRADE = """
ALTER TABLE accounts
    ADD COLUMN max_monitors integer CHECK (max_monitors >= 0),
    ADD COLUMN max_channels integer CHECK (max_channels >= 0),
    ADD COLUMN min_interval_seconds integer CHECK (min_interval_seconds >= 1),
    ADD COLUMN any_tcp_port boolean NOT NULL DEFAULT false;
"""

DOWNGRADE = """
ALTER TABLE accounts
    DROP COLUMN max_monitors,
    DROP COLUMN max_channels,
    DROP COLUMN min_interval_seconds,
    DROP COLUMN any_tcp_port;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
