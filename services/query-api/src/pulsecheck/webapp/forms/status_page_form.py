"""The status page form: slug, title, chosen websites, and an optional logo (pure checks)."""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import FormData

from pulsecheck.read_model.storage.status_pages import Logo, StatusPageFields
from pulsecheck.webapp.forms.fields import FormProblem, text

# the same rule as the table's CHECK: lowercase words joined by hyphens, at most 64 long
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
MAX_TITLE = 200
MAX_WEBSITES = 100
MAX_LOGO_BYTES = 256 * 1024
# decided by the file's first bytes, never by the name or the browser's claim; no SVG:
# an SVG is a document that can carry script
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def logo_type(content: bytes) -> str | None:
    for magic, media_type in _MAGIC:
        if content.startswith(magic):
            return media_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def checked_logo(content: bytes) -> Logo | None:
    """None for no file; FormProblem for one too big or not a PNG, JPEG or WebP image."""
    if not content:
        return None
    if len(content) > MAX_LOGO_BYTES:
        raise FormProblem(f"the logo must be at most {MAX_LOGO_BYTES // 1024} KB")
    media_type = logo_type(content)
    if media_type is None:
        raise FormProblem("the logo must be a PNG, JPEG or WebP image")
    return Logo(content, media_type)


def status_page_fields(form: FormData) -> StatusPageFields:
    slug, title = text(form, "slug").lower(), text(form, "title")
    if not SLUG.match(slug):
        raise FormProblem(
            "slug: use 1 to 64 lowercase letters, digits and inner hyphens (it goes in the URL)"
        )
    if not title or len(title) > MAX_TITLE:
        raise FormProblem(f"title: 1 to {MAX_TITLE} characters")
    chosen: list[uuid.UUID] = []
    for value in form.getlist("website"):
        try:
            monitor_id = uuid.UUID(str(value))
        except ValueError as exc:
            raise FormProblem("websites: an unknown website was chosen") from exc
        if monitor_id not in chosen:
            chosen.append(monitor_id)
    if len(chosen) > MAX_WEBSITES:
        raise FormProblem(f"websites: at most {MAX_WEBSITES} on one page")
    return StatusPageFields(slug, title, chosen)
