"""The web app as a person's browser meets it: a client that keeps cookies, follows redirects,
signs in through the owner's one-time invite link (as `pulsecheck-admin create-account` prints
it) and then opens the links that alerts carry."""

from __future__ import annotations

import re
import secrets
import ssl
from urllib.parse import urlsplit

import httpx

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def browser(trusting: ssl.SSLContext) -> httpx.Client:
    """A cookie-keeping client that follows redirects and trusts `trusting`'s CAs."""
    client = httpx.Client(follow_redirects=True, verify=trusting, timeout=15)

    def loopback_is_secure(response: httpx.Response) -> None:
        """As Chromium and Firefox do, loopback counts as a secure context: the web app's Secure
        cookies (its default) come back to http://127.0.0.1 as they would in a browser. (httpx
        copies the jar into a default-policy one per request, so a policy cannot say it.)"""
        for cookie in client.cookies.jar:
            if cookie.domain in LOOPBACK_HOSTS:
                cookie.secure = False

    client.event_hooks["response"] = [loopback_is_secure]
    return client


def csrf_token(page: httpx.Response) -> str:
    found = CSRF_FIELD.search(page.text)
    assert found, f"no csrf_token in the form at {page.url}"
    return found.group(1)


def sign_in_through_invite(client: httpx.Client, sign_in_link: str, email: str) -> None:
    """Opens the invite link, chooses a password, and ends signed in (on the overview)."""
    form = client.get(sign_in_link)
    assert form.status_code == 200, f"{sign_in_link}: {form.status_code} {form.text[:300]}"
    password = secrets.token_urlsafe(16)
    fields = {"csrf_token": csrf_token(form), "email": email, "password": password}
    joined = client.post(sign_in_link, data={**fields, "password_again": password})
    assert joined.status_code == 200, f"accepting the invite: {joined.status_code}"
    assert urlsplit(str(joined.url)).path == "/", f"not signed in: ended at {joined.url}"
