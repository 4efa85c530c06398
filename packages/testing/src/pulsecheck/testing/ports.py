"""A free TCP port on 127.0.0.1, for a server a test starts in a child process."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on right now (bound, then released; another may take it later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
