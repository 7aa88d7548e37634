"""Test-side helpers: a tiny independent AK/SK signer and token login, built only from auth.md."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from drstui.sim import SimCore, SimCredentials, SimRequest, SimResponse

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "fixtures"
DATA = FIXTURES.parent
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
JOB_A = "94800607-3cd8-4f7d-a340-63a10f8jb502"
JOB_B = "f8688cfa-4e05-406f-a2e6-37a773cjb20y"
JOB_C = "9a470239-2308-4bb5-a6bc-1040402fjb21"
OBJECT_A = "dc1683d9-bdf2-4be9-967f-6ef0953369bc"
LINES_A = "08cad1f8-9de2-42fa-b8ce-6c36daf730f6"
CONTENTS_A = "9406224c-8063-436a-8fe2-796d87f054dc"
HEALTH_A = "3bca29b5-419a-409d-a8d1-d892aa12bf53"
SMS_TASK_1 = "05a41be9-3ffe-4cc6-8d66-073590390001"
SMS_SOURCE_1 = "31806fb2-95bd-421f-ae35-b81b750d0001"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def encode_query(params: list[tuple[str, Any]] | dict[str, Any] | None) -> str:
    items = list(params.items()) if isinstance(params, dict) else list(params or [])
    items = [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in items]
    return "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(items))


def sign(method: str, path: str, query: str, headers: dict[str, str], body: bytes, ak: str, sk: str) -> str:
    names = sorted(h.lower() for h in headers if "_" not in h)
    lower = {k.lower(): v for k, v in headers.items()}
    from urllib.parse import unquote
    uri = "/".join(quote(s, safe="~") for s in unquote(path).split("/"))
    uri = uri if uri.endswith("/") else uri + "/"
    canonical = "\n".join([method, uri, query, "".join(f"{n}:{lower[n].strip()}\n" for n in names), ";".join(names),
                           hashlib.sha256(body).hexdigest()])
    to_sign = f"SDK-HMAC-SHA256\n{lower['x-sdk-date']}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    signature = hmac.new(sk.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return f"SDK-HMAC-SHA256 Access={ak}, SignedHeaders={';'.join(names)}, Signature={signature}"


def sdk_date(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def login_body(creds: SimCredentials, **overrides: Any) -> dict[str, Any]:
    user = {"name": creds.user, "password": creds.password, "domain": {"name": creds.domain}}
    user.update(overrides)
    return {"auth": {"identity": {"methods": ["password"], "password": {"user": user}},
                     "scope": {"project": {"name": creds.region}}}}


class Caller:
    """Sends requests straight into a core, authenticated with a token or an AK/SK signature."""

    def __init__(self, core: SimCore, auth: str = "token") -> None:
        self.core = core
        self.creds = core.credentials
        self.auth = auth
        self._token: str | None = None

    def token(self) -> str:
        if self._token is None:
            answer = self.core.handle(SimRequest("POST", "/v3/auth/tokens", "nocatalog=true",
                                                 {"Content-Type": "application/json"},
                                                 json.dumps(login_body(self.creds)).encode()))
            assert answer.status == 201, answer.body
            self._token = answer.headers["X-Subject-Token"]
        return self._token

    def __call__(self, method: str, path: str, query: Any = None, body: Any = None,
                 headers: dict[str, str] | None = None, auth: str | None = None) -> SimResponse:
        auth = auth or self.auth
        raw_query = encode_query(query)
        data = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if auth == "token":
            hdrs["X-Auth-Token"] = self.token()
        elif auth == "aksk":
            hdrs.update({"Host": "drs.sim.test", "X-Project-Id": self.creds.project_id,
                         "X-Sdk-Date": sdk_date(self.core.clock.signing_now())})
            hdrs["Authorization"] = sign(method, path, raw_query, hdrs, data, self.creds.ak, self.creds.sk)
        return self.core.handle(SimRequest(method, path, raw_query, hdrs, data))

    def get(self, path: str, query: Any = None, **kw: Any) -> SimResponse:
        return self("GET", path, query, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> SimResponse:
        return self("POST", path, None, body, **kw)


def drs(path: str) -> str:
    return f"/v3/{PROJECT}/jobs{path}"


def drs5(path: str = "") -> str:
    return f"/v5/{PROJECT}/jobs{path}"


V5_JOB_TYPES = ("migration", "sync", "cloudDataGuard", "replay")


def v5_jobs(call: Caller, query: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every job of the v5 list: it requires job_type, so one listing per type, merged."""
    jobs: list[dict[str, Any]] = []
    for job_type in V5_JOB_TYPES:
        answer = call.get(drs5(""), {"limit": 100, **(query or {}), "job_type": job_type})
        assert answer.status == 200, answer.body
        jobs.extend(answer.json()["jobs"])
    return jobs
