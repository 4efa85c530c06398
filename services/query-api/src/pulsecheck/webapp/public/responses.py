"""Answers of the public pages: the cache's entry as a response, with its headers."""

from __future__ import annotations

from fastapi.responses import Response

from pulsecheck.query_api.api.security_headers import SECURITY_HEADERS
from pulsecheck.webapp.public.cache import TTL_SECONDS, Cached

# browsers and proxies may keep a public answer as long as this process does
PUBLIC_HEADERS = {**SECURITY_HEADERS, "Cache-Control": f"public, max-age={int(TTL_SECONDS)}"}


def cached_response(entry: Cached) -> Response:
    return Response(entry.body, media_type=entry.media_type, headers=PUBLIC_HEADERS)
