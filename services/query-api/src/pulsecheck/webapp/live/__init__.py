"""Live pages: one LISTEN connection per process, fanned out to Server-Sent Event streams."""
