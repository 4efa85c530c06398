"""The status page form's checks: slug, title, websites, and the logo's type and size."""

from __future__ import annotations

import uuid

import pytest
from starlette.datastructures import FormData

from pulsecheck.webapp.forms.fields import FormProblem
from pulsecheck.webapp.forms.status_page_form import (
    MAX_LOGO_BYTES,
    checked_logo,
    status_page_fields,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.mark.parametrize(
    ("slug", "ok"),
    [("acme", True), ("acme-status-2", True), ("-acme", False), ("acme-", False),
     ("a" * 64, True), ("a" * 65, False), ("ac me", False), ("../x", False)],
)  # fmt: skip
def test_slugs(slug: str, ok: bool) -> None:
    form = FormData([("slug", slug), ("title", "Acme")])
    if ok:
        assert status_page_fields(form).slug == slug
    else:
        with pytest.raises(FormProblem, match="slug"):
            status_page_fields(form)


def test_websites_keep_their_order_once_each_and_a_forged_value_is_refused() -> None:
    one, two = uuid.uuid4(), uuid.uuid4()
    chosen = [("website", str(two)), ("website", str(one)), ("website", str(two))]
    form = FormData([("slug", "acme"), ("title", "Acme"), *chosen])
    assert status_page_fields(form).monitor_ids == [two, one]
    with pytest.raises(FormProblem, match="websites"):
        status_page_fields(FormData([("slug", "a"), ("title", "A"), ("website", "x")]))


def test_a_logo_is_an_image_by_its_bytes_and_within_the_cap() -> None:
    logo = checked_logo(PNG)
    assert logo is not None and logo.media_type == "image/png"
    assert checked_logo(b"") is None
    with pytest.raises(FormProblem, match="PNG, JPEG or WebP"):
        checked_logo(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>")
    with pytest.raises(FormProblem, match="at most"):
        checked_logo(PNG + b"\0" * MAX_LOGO_BYTES)
