"""Heartbeats: find a monitor by the hash of its ping token (carried in its spec).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # unique: two live monitors answering one token would make a ping ambiguous
    op.execute(
        "CREATE UNIQUE INDEX monitors_by_ping_token ON monitors ((spec->>'ping_token_sha256'))"
        " WHERE removed_at IS NULL AND spec ? 'ping_token_sha256'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX monitors_by_ping_token")
