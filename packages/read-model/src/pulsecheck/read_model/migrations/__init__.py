"""Alembic migrations of the read model, run through `pulsecheck-admin migrate`."""
