"""Shared query parameters of every paged list: a bounded limit and an opaque cursor."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query

from pulsecheck.query_api.api.errors import ApiError
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.pagination import CursorPosition, InvalidCursor, decode_cursor

LimitQuery = Annotated[int | None, Query(ge=1, le=1000, description="page size")]
RegionQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=64, description="one region's results only; none: every region"),
]
CursorQuery = Annotated[
    str | None, Query(max_length=512, description="next_cursor of the previous page")
]


def page_limit(limit: int | None, settings: QueryApiSettings) -> int:
    return min(limit or settings.default_page_limit, settings.max_page_limit)


def bad_cursor() -> ApiError:
    return ApiError(400, "invalid_cursor", "cursor is not one this API issued")


def cursor_with_int_key(token: str | None) -> tuple[CursorPosition, int] | None:
    if token is None:
        return None
    try:
        position = decode_cursor(token)
        return position, int(position.key)
    except (InvalidCursor, ValueError) as exc:
        raise bad_cursor() from exc


def cursor_with_uuid_key(token: str | None) -> tuple[CursorPosition, uuid.UUID] | None:
    if token is None:
        return None
    try:
        position = decode_cursor(token)
        return position, uuid.UUID(position.key)
    except (InvalidCursor, ValueError) as exc:
        raise bad_cursor() from exc


def cursor_with_text_key(token: str | None) -> CursorPosition | None:
    if token is None:
        return None
    try:
        return decode_cursor(token)
    except InvalidCursor as exc:
        raise bad_cursor() from exc
