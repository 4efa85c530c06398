"""Refuses to post a user's webhook to private, loopback, link-local or metadata addresses.

Users choose webhook and Slack URLs, so without this the notifier would be an SSRF tool. The
decision is the prober's (`pulsecheck.shared.target_safety`); the operator's allow-list
(`PULSECHECK_TARGET_ALLOW_LIST`; the tests open loopback) overrides it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pulsecheck.shared.target_safety import (
    AllowList,
    Resolver,
    SystemResolver,
    TargetRefused,
    TargetUnresolvable,
    resolve_target,
)


class TargetGuard:
    def __init__(self, allow: AllowList | None = None, resolver: Resolver | None = None) -> None:
        self._allow = allow or AllowList()
        self._resolver = resolver or SystemResolver()

    async def refusal(self, url: str) -> str | None:
        """Why `url` must not be posted to, or None. Resolves the host name."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return f"refused target {url!r}: not an http(s) URL"
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            await resolve_target(parts.hostname, port, self._allow, self._resolver)
        except TargetRefused as exc:
            return f"refused target {parts.hostname}: {exc.address} is {exc.reason.value}"
        except TargetUnresolvable as exc:
            return f"refused target {parts.hostname}: cannot resolve ({exc})"
        return None
