"""PulseCheck projector: checks and alerts into the PostgreSQL read model."""
