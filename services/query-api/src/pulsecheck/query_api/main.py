"""`pulsecheck-query-api`: serve the API with uvicorn; SIGTERM stops it cleanly."""

from __future__ import annotations

import gc
from typing import Any

import uvicorn

from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.shared.logs import configure_logging


def server_options(settings: QueryApiSettings) -> dict[str, Any]:
    """uvicorn's options; forwarded headers are believed only from `forwarded_allow_ips`
    (uvicorn's own default trusts 127.0.0.1 and its FORWARDED_ALLOW_IPS variable)."""
    trusted = settings.forwarded_allow_ips.strip()
    return {
        "host": settings.api_host,
        "port": settings.api_port,
        "log_config": None,
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or "",
    }


def main() -> None:
    settings = QueryApiSettings()
    configure_logging("pulsecheck.query_api", settings.log_level)
    app = create_app(settings)
    # what the app holds for good (modules, routes, models: ~120,000 objects) leaves the
    # collector's full passes: 3,000 pings met one, a 94 ms stall, and none once frozen
    gc.freeze()
    # open SSE streams would hold shutdown forever: after 5 s they are cut
    uvicorn.run(app, **server_options(settings), timeout_graceful_shutdown=5)
