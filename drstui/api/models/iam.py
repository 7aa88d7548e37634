"""IAM token response body (docs/api/auth.md §1). The token itself travels in X-Subject-Token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._parse import Reader
from .base import Model, extra_field


@dataclass(frozen=True)
class TokenInfo(Model):
    expires_at: datetime | None
    issued_at: datetime | None = None
    project_id: str | None = None
    project_name: str | None = None
    user_name: str | None = None
    domain_name: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> TokenInfo:
        token = r.obj_("token", lambda t: t)
        if token is None:
            return cls(expires_at=None)
        project = token.obj_("project", lambda p: p)
        user = token.obj_("user", lambda u: u)
        domain = user.obj_("domain", lambda d: d) if user else None
        return cls(
            expires_at=token.time("expires_at")[0],
            issued_at=token.time("issued_at")[0],
            project_id=project.str("id") if project else None,
            project_name=project.str("name") if project else None,
            user_name=user.str("name") if user else None,
            domain_name=domain.str("name") if domain else None,
            extra=token.extra(),
        )
