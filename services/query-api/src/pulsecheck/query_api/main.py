"""`pulsecheck-query-api`: serve the API with uvicorn; SIGTERM stops it cleanly."""

from __future__ import annotations

import uvicorn

from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.shared.logs import configure_logging


def main() -> None:
    settings = QueryApiSettings()
    configure_logging("pulsecheck.query_api", settings.log_level)
    app = create_app(settings)
    # open SSE streams would hold shutdown forever: after 5 s they are cut
    uvicorn.run(
        app,
        host=settings.api_host,
        port=settings.api_port,
        log_config=None,
        timeout_graceful_shutdown=5,
    )
