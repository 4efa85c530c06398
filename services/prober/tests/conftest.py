"""Real target servers on 127.0.0.1 for the prober service tests (`fleet`, `closed_port`)."""

from __future__ import annotations

from pulsecheck.testing.target_servers import closed_port, fleet

__all__ = ["closed_port", "fleet"]  # fixtures, imported for pytest to find here
