"""What each role in an account may do; the web app and the REST API both ask here."""

from __future__ import annotations

from typing import Literal, get_args

Role = Literal["owner", "editor", "viewer"]
ROLES: tuple[Role, ...] = get_args(Role)


def may_change(role: Role) -> bool:
    """Editors and owners change monitors and channels; viewers only look."""
    return role in ("owner", "editor")


def may_administer(role: Role) -> bool:
    """Only owners invite people and manage API keys."""
    return role == "owner"
