"""Public status pages and badge tokens.

A status page lists chosen websites under a public slug; its logo is kept in the row (capped
by the web app at upload), so serving the page needs no file store. A badge token stands for
one website in public badge URLs, so a README never shows a monitor id.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE status_pages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$'),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    monitor_ids uuid[] NOT NULL DEFAULT '{}',
    logo bytea CHECK (logo IS NULL OR length(logo) <= 262144),
    logo_type text CHECK (logo_type IN ('image/png', 'image/jpeg', 'image/webp')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_pages_by_account ON status_pages (account_id, created_at DESC);

CREATE TABLE badge_tokens (
    monitor_id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
"""

DOWNGRADE = """
DROP TABLE IF EXISTS badge_tokens, status_pages;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
