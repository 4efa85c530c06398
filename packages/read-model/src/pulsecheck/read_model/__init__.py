"""PulseCheck read model: PostgreSQL storage and the one migration history."""
