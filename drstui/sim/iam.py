"""The IAM endpoints: tokens (``POST /v3/auth/tokens``) and the project list
(``GET /v3/projects``, which AK/SK users without a project id ask for their region's project;
the official SDK does the same) — see docs/api/auth.md.

Tokens live 24 h on the simulated clock. They are opaque random strings (deterministic from the
seed); the simulator remembers which project each was scoped to. Error bodies for a failed login
use ``{"error_code": "IAM.xxxx", "error_msg": ...}`` *(sim: codes not documented here)*.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from .clock import iso_utc_micro
from .credentials import SimCredentials
from .messages import SimError, SimRequest, SimResponse, json_response, parse_json_body

TOKEN_LIFETIME_SECONDS = 24 * 3600
DOMAIN_ID = "d78cbac186b744899480f25bd022f468"
USER_ID = "7116d09f88fa41908676fdd4b039e95b"


@dataclass(frozen=True)
class IssuedToken:
    project_id: str | None
    issued_at: float
    expires_at: float


class TokenIssuer:
    def __init__(self, account: SimCredentials, seed: int) -> None:
        self.account = account
        self._rng = random.Random(f"{seed}/tokens")
        self.tokens: dict[str, IssuedToken] = {}

    def lookup(self, token: str) -> IssuedToken | None:
        return self.tokens.get(token)

    def handle(self, request: SimRequest, now: float) -> SimResponse:
        body = parse_json_body(request, SimError(400, "IAM.0011", "Request body is invalid."))
        try:
            identity = body["auth"]["identity"]
            user = identity["password"]["user"]
            methods = identity["methods"]
            name, password, domain = user["name"], user["password"], user["domain"]["name"]
        except (KeyError, TypeError):
            raise SimError(400, "IAM.0011", "Request body is invalid.") from None
        if methods != ["password"] or not all(isinstance(v, str) for v in (name, password, domain)):
            raise SimError(400, "IAM.0011", "Request body is invalid.")
        account = self.account
        if (name, password, domain) != (account.user, account.password, account.domain):
            raise SimError(401, "IAM.0006", "The username or password is wrong.")
        scope = body["auth"].get("scope") or {}
        project_id = self._scoped_project(scope)
        token = "MIIsim" + "".join(self._rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                                   for _ in range(512))
        issued = IssuedToken(project_id, now, now + TOKEN_LIFETIME_SECONDS)
        self.tokens[token] = issued
        payload = self._token_body(issued, request, nocatalog=bool(request.query_dict().get("nocatalog")))
        return json_response(201, payload, headers={"X-Subject-Token": token})

    def _scoped_project(self, scope: Any) -> str | None:
        account = self.account
        if not isinstance(scope, dict):
            raise SimError(400, "IAM.0011", "Request body is invalid.")
        project = scope.get("project")
        if isinstance(project, dict):
            if project.get("id") == account.project_id or project.get("name") == account.region:
                return account.project_id
            raise SimError(401, "IAM.0007", "The project does not exist or is not accessible.")
        domain = scope.get("domain")
        if isinstance(domain, dict) and (domain.get("name") == account.domain or domain.get("id") == DOMAIN_ID):
            return None  # domain-scoped: not accepted by DRS
        raise SimError(400, "IAM.0011", "Request body is invalid: scope.")

    def _token_body(self, issued: IssuedToken, request: SimRequest, nocatalog: bool) -> dict[str, Any]:
        account = self.account
        domain = {"id": DOMAIN_ID, "name": account.domain}
        token: dict[str, Any] = {
            "expires_at": iso_utc_micro(issued.expires_at),
            "issued_at": iso_utc_micro(issued.issued_at),
            "methods": ["password"],
        }
        if issued.project_id:
            token["project"] = {"id": account.project_id, "name": account.region, "domain": domain}
        else:
            token["domain"] = domain
        token["user"] = {"id": USER_ID, "name": account.user, "password_expires_at": "", "domain": domain}
        token["roles"] = [{"id": "0", "name": "te_admin"}]
        if not nocatalog:
            host = request.header("host") or "127.0.0.1"
            scheme = "https" if (request.header("x-forwarded-proto") == "https") else "http"
            token["catalog"] = [
                {"type": service, "id": f"{service}-sim", "name": service,
                 "endpoints": [{"url": f"{scheme}://{host}", "region": account.region,
                                "region_id": account.region, "interface": "public", "id": f"{service}-ep"}]}
                for service in ("drs", "sms")]
        return {"token": token}


def list_projects(account: SimCredentials, request: SimRequest) -> SimResponse:
    """``GET /v3/projects`` (KeystoneListProjects) after authentication: the account's one
    project (named after its region), filtered by ``name`` / ``domain_id`` / ``enabled`` as the
    service does — an unknown name is an empty list, not an error."""
    host = request.header("host") or "127.0.0.1"
    base = f"http://{host}/v3/projects"
    project = {"id": account.project_id, "name": account.region, "domain_id": DOMAIN_ID,
               "parent_id": DOMAIN_ID, "description": "", "enabled": True, "is_domain": False,
               "links": {"self": f"{base}/{account.project_id}"}}
    query = request.query_dict()
    wanted = {"name": query.get("name"), "domain_id": query.get("domain_id"),
              "enabled": {"true": True, "false": False}.get((query.get("enabled") or "").lower())}
    shown = [project] if all(v is None or project[k] == v for k, v in wanted.items()) else []
    return json_response(200, {"projects": shown,
                               "links": {"self": base, "previous": None, "next": None}})
