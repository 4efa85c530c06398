"""The REST API calls the CLI makes, over a client it is given (a real base URL, or an app's
ASGI transport in tests): read every website and channel, create, change, remove."""

from __future__ import annotations

from typing import Any

import httpx

MERGE_PATCH = "application/merge-patch+json"
# the API's largest page: 500 monitors is the default quota, so one request in the common case
PAGE_SIZE = 500


class ApiRefused(Exception):
    """The API answered with an error; the message is its own (code and detail)."""

    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        super().__init__(f"{response.request.method} {response.request.url.path}: "
                         f"{response.status_code} {_error_text(response)}")  # fmt: skip


def _error_text(response: httpx.Response) -> str:
    """The API's `error` code and `reason` (every error of it is such JSON), else the text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict) and "reason" in body:
        field = f" (field {body['field']})" if body.get("field") else ""
        return f"{body.get('error')}: {body['reason']}{field}"
    return response.text[:200]


class AccountApi:
    def __init__(self, http: httpx.AsyncClient, api_key: str) -> None:
        self._http = http
        self._auth = {"Authorization": f"Bearer {api_key}"}

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self._auth, **kwargs.pop("headers", {})}
        response = await self._http.request(method, path, headers=headers, **kwargs)
        if response.is_error:
            raise ApiRefused(response)
        return response

    async def _every(self, path: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        while True:
            page = (await self._send("GET", path, params=params)).json()
            rows.extend(page["data"])
            if not page["next_cursor"]:
                return rows
            params = {"limit": PAGE_SIZE, "cursor": page["next_cursor"]}

    async def websites(self) -> list[dict[str, Any]]:
        return await self._every("/websites")

    async def channels(self) -> list[dict[str, Any]]:
        return await self._every("/channels")

    async def create_website(self, body: dict[str, Any]) -> dict[str, Any]:
        created: dict[str, Any] = (await self._send("POST", "/websites", json=body)).json()
        return created

    async def change_website(self, website_id: str, patch: dict[str, Any]) -> None:
        # a JSON merge patch: only the changed fields, nested objects merged by the API
        await self._send(
            "PATCH", f"/websites/{website_id}", json=patch, headers={"Content-Type": MERGE_PATCH}
        )

    async def remove_website(self, website_id: str) -> None:
        await self._send("DELETE", f"/websites/{website_id}")

    async def create_channel(self, body: dict[str, Any]) -> str:
        created = (await self._send("POST", "/channels", json=body)).json()
        return str(created["id"])

    async def change_channel(self, channel_id: str, changes: dict[str, Any]) -> None:
        await self._send("PATCH", f"/channels/{channel_id}", json=changes)

    async def remove_channel(self, channel_id: str) -> None:
        await self._send("DELETE", f"/channels/{channel_id}")
