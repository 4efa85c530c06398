"""API keys: ApiKeyCreate → ApiKeyPublic (masked) → ApiKeyCreated (the key, shown once)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pulsecheck.read_model.storage.roles import Role


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(max_length=200)] = ""
    role: Role = "viewer"


class ApiKeyPublic(BaseModel):
    id: uuid.UUID
    name: str
    # the first characters and an ellipsis: enough to recognise, too little to use
    masked_key: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None


class ApiKeysPage(BaseModel):
    data: list[ApiKeyPublic]


class ApiKeyCreated(ApiKeyPublic):
    # the only time the key is ever returned: only its hash is kept
    api_key: str
