"""The loopback target servers (`fleet`) for the pipeline tests' certificate servers."""

from __future__ import annotations

from pulsecheck.testing.target_servers import fleet

__all__ = ["fleet"]  # a fixture, imported for pytest to find here
