"""The REST API as the e2e tests use it: as a user would, with an account's API key."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from typing import Any

import httpx

from e2e.running_system import ROOT, RunningSystem

API_KEY_LINE = re.compile(r"^api_key: (\S+)$", re.MULTILINE)
SIGN_IN_LINK_LINE = re.compile(r"^sign_in_link: (\S+)$", re.MULTILINE)


@dataclass(frozen=True)
class NewAccount:
    api_key: str
    # the owner's one-time link into the web app
    sign_in_link: str


def create_account(system: RunningSystem, name: str) -> NewAccount:
    """The one CLI step of the scenario: `pulsecheck-admin create-account`, which prints an API
    key and the owner's one-time sign-in link."""
    done = subprocess.run(
        ["uv", "run", "--frozen", "pulsecheck-admin", "create-account", name],
        cwd=ROOT,
        env=system.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    key, link = API_KEY_LINE.search(done.stdout), SIGN_IN_LINK_LINE.search(done.stdout)
    assert key and link, f"no api_key or sign_in_link from create-account: {done.stdout!r}"
    return NewAccount(key.group(1), link.group(1))


class PulseCheckApi:
    def __init__(self, base_url: str, api_key: str) -> None:
        self.http = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {api_key}"}, timeout=10
        )

    def close(self) -> None:
        self.http.close()

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    def create_channel(self, body: dict[str, Any]) -> dict[str, Any]:
        """The created channel, with a webhook's generated secret (shown only here)."""
        created: dict[str, Any] = self._json("POST", "/channels", json=body)
        return created

    def register_site(self, body: dict[str, Any]) -> str:
        return str(self._json("POST", "/websites", json=body)["id"])

    def remove_site(self, website_id: str) -> None:
        response = self.http.delete(f"/websites/{website_id}")
        assert response.is_success, f"DELETE /websites/{website_id}: {response.status_code}"

    def check_ssl_now(self, website_id: str) -> None:
        self._json("POST", f"/websites/{website_id}/check-ssl")

    def website(self, website_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._json("GET", f"/websites/{website_id}")
        return result

    def _every_page(self, path: str, **params: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(1000):
            query = {**params, "limit": 500, **({"cursor": cursor} if cursor else {})}
            page = self._json("GET", path, params=query)
            rows.extend(page["data"])
            cursor = page["next_cursor"]
            if not cursor:
                return rows
        raise AssertionError(f"{path}: more than 1000 pages")

    def uptime_logs(self, website_id: str) -> list[dict[str, Any]]:
        return self._every_page(f"/websites/{website_id}/uptime-logs")

    def ssl_logs(self, website_id: str) -> list[dict[str, Any]]:
        return self._every_page(f"/websites/{website_id}/ssl-logs")

    def incidents(self, website_id: str) -> list[dict[str, Any]]:
        return self._every_page(f"/websites/{website_id}/incidents")

    def notifications(self) -> list[dict[str, Any]]:
        return self._every_page("/notifications")

    def stats(self, website_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._json(
            "GET", f"/websites/{website_id}/stats", params={"window": "24h"}
        )
        return result


def scrape(url: str) -> dict[str, float]:
    """A /metrics page as {sample name with labels: value} (Prometheus text format)."""
    text = httpx.get(f"{url}/metrics", timeout=5).text
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples
