"""Sealed channels: the mask of a sealed target, and a rotated webhook secret's overlap.

`target` and `secret` stay text: they now hold sealed values (pulsecheck.shared.sealing) that the
API cannot open, so the mask it shows is stored beside them. Rows from before keep their values
until `pulsecheck-admin reseal` re-publishes them sealed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE channels ADD COLUMN target_masked text,"
        " ADD COLUMN previous_secret text, ADD COLUMN previous_secret_until timestamptz"
    )


def downgrade() -> None:
    op.execute(
        "ALTER TABLE channels DROP COLUMN target_masked,"
        " DROP COLUMN previous_secret, DROP COLUMN previous_secret_until"
    )
