"""The one IAM call AK/SK users need: find the project id of a region (docs/api/auth.md §3.1)."""

from __future__ import annotations

from .errors import ApiError
from .models._parse import parse_top
from .transport import HttpSession


class IamClient:
    def __init__(self, http: HttpSession) -> None:
        self.http = http

    async def project_id_for_region(self, region: str) -> str:
        """GET /v3/projects?name=<region> (signed); exactly one project must match."""
        resp = await self.http.request_json("GET", "/v3/projects", params={"name": region})
        ids = parse_top("ProjectList", resp.data,
                        lambda r: [p.str("id") for p in r.objs("projects", lambda x: x)])
        ids = [i for i in ids if i]
        if len(ids) != 1:
            raise ApiError(f"expected one IAM project named {region!r}, found {len(ids)}",
                           kind="auth", status=resp.status, path="/v3/projects")
        return ids[0]


__all__ = ["IamClient"]
