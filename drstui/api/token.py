"""IAM password-token authentication as an httpx.Auth (docs/api/auth.md §1).

* One token fetch is shared by all concurrent requests (asyncio.Lock).
* The token is refreshed when less than `refresh_margin` of its life remains, and once after a
  401 APIGW.0301 (the request is then repeated once with the new token — never more).
* A rejected login (401/4xx on the token request) is remembered: later calls fail at once
  with the same error instead of hammering IAM and locking the account, until `reset()`
  or `set_credentials()`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx

from drstui.logs import register_secret

from .errors import AUTH_ERROR_CODES, ApiError, find_error_fields
from .limits import Limits, TooLarge, deadline_error, read_capped, too_large_error
from .models.iam import TokenInfo
from .retry import DEFAULT_TIMEOUT
from .signing import utc_now
from .transport import dumps_compact, make_client, parse_json_body

TOKEN_PATH = "/v3/auth/tokens"
DEFAULT_REFRESH_MARGIN = timedelta(hours=1)


class TokenAuth(httpx.Auth):
    def __init__(
        self,
        iam_url: str | None = None,
        user: str = "",
        password: str = "",
        domain: str = "",
        *,
        project_name: str | None = None,
        project_id: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        refresh_margin: timedelta = DEFAULT_REFRESH_MARGIN,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool | str = True,
        timeout: httpx.Timeout | float | None = None,
    ) -> None:
        if project_name and project_id:
            raise ValueError("give project_name or project_id, not both")
        self.iam_url = iam_url.rstrip("/") if iam_url else None
        self.user = user
        self.domain = domain
        self.project_name = project_name
        self._password = password
        register_secret(password)  # masked in every log line, error and crash report
        self._scope_project_id = project_id
        self._clock = clock
        self.refresh_margin = refresh_margin
        self._client = http_client
        self._owns_client = False
        self._transport = transport
        self._verify = verify
        self._timeout = timeout
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._refresh_at: datetime | None = None
        self.info: TokenInfo | None = None
        self._login_error: ApiError | None = None
        self.fetch_count = 0  # how many times IAM was asked (tests, diagnostics)
        self.limits = Limits()

    def __repr__(self) -> str:
        state = "valid" if self._token else "none"
        return (f"TokenAuth(iam_url={self.iam_url!r}, user={self.user!r}, domain={self.domain!r}, "
                f"project={self._scope_project_id or self.project_name!r}, token={state}, password=***)")

    # -- configuration --------------------------------------------------------------------------
    def configure_defaults(self, *, iam_url: str | None = None,
                           http_client: httpx.AsyncClient | None = None,
                           project_name: str | None = None) -> None:
        """Fill in what the caller left out (CloudClient passes its IAM endpoint and client)."""
        if self.iam_url is None and iam_url:
            self.iam_url = iam_url.rstrip("/")
        if self._client is None and http_client is not None:
            self._client = http_client
        if self.project_name is None and self._scope_project_id is None and project_name:
            self.project_name = project_name

    def set_credentials(self, user: str, password: str, domain: str) -> None:
        self.user, self._password, self.domain = user, password, domain
        register_secret(password)
        self.reset()

    def reset(self) -> None:
        """Forget the token and any remembered login failure."""
        self._token = None
        self._refresh_at = None
        self._login_error = None

    @property
    def project_id(self) -> str | None:
        """The project id, from the token once fetched (or as configured)."""
        if self.info and self.info.project_id:
            return self.info.project_id
        return self._scope_project_id

    @property
    def login_error(self) -> ApiError | None:
        return self._login_error

    async def aclose(self) -> None:
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- token management -----------------------------------------------------------------------
    def _fresh(self) -> bool:
        return (self._token is not None and self._refresh_at is not None
                and self._clock() < self._refresh_at)

    async def get_token(self, *, stale: str | None = None) -> str:
        """A valid token. `stale` = a token the server just rejected: refresh unless another
        request already replaced it."""
        if self._login_error is not None:
            raise self._login_error
        async with self._lock:
            if self._login_error is not None:
                raise self._login_error
            if self._fresh() and (stale is None or self._token != stale):
                assert self._token is not None
                return self._token
            return await self._fetch()

    async def _fetch(self) -> str:
        if not self.iam_url:
            raise ApiError("no IAM endpoint configured for token authentication", kind="auth")
        if self._client is None:
            self._client = make_client(transport=self._transport, verify=self._verify,
                                       timeout=self._timeout if self._timeout is not None else DEFAULT_TIMEOUT)
            self._owns_client = True
        self.fetch_count += 1
        url = f"{self.iam_url}{TOKEN_PATH}?nocatalog=true"
        request = self._client.build_request(
            "POST", url, content=dumps_compact(self._body()),
            headers={"Content-Type": "application/json;charset=utf8"},
        )
        limits = self.limits
        try:
            async with asyncio.timeout(limits.call_deadline):
                response = await self._client.send(request, stream=True)
                try:
                    limit = limits.max_error_bytes if response.status_code >= 400 else limits.max_answer_bytes
                    content = await read_capped(response, limit, cut=response.status_code >= 400)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise deadline_error("IAM token request", limits.call_deadline, method="POST",
                                 path=TOKEN_PATH) from None
        except TooLarge as exc:
            raise too_large_error("IAM token answer", exc.limit, "max_answer_mb",
                                  status=response.status_code, method="POST",
                                  path=TOKEN_PATH) from None
        except ValueError as exc:
            raise ApiError(f"IAM token answer: {exc}", kind="malformed", method="POST",
                           path=TOKEN_PATH) from None
        except httpx.TimeoutException:
            raise ApiError("IAM token request timed out", kind="timeout",
                           method="POST", path=TOKEN_PATH) from None
        except httpx.TransportError as exc:
            raise ApiError(f"IAM token request failed: {type(exc).__name__}", kind="connect",
                           method="POST", path=TOKEN_PATH) from None
        if response.status_code >= 400:
            error = ApiError.from_response(response.status_code, content, response.headers,
                                           method="POST", path=TOKEN_PATH)
            if 400 <= response.status_code < 500 and response.status_code != 429:
                # Wrong user/password/domain/scope: asking again would not help and could lock
                # the account. Remember it until the credentials change.
                error.kind = "auth"
                error.error_msg = f"IAM login rejected: {error.error_msg}"
                self._login_error = error
            raise error
        token = response.headers.get("X-Subject-Token")
        register_secret(token)  # even a bare token in a crash message is masked
        if not token:
            raise ApiError("IAM answered without an X-Subject-Token header", kind="malformed",
                           status=response.status_code, path=TOKEN_PATH)
        info = TokenInfo.from_json(parse_json_body(content, status=response.status_code,
                                                   path=TOKEN_PATH))
        now = self._clock()
        # The token's lifetime is measured on the server's clock (expires_at - issued_at) and
        # counted from *our* now, so a jump host whose clock drifts neither refreshes on every
        # call nor keeps an expired token.
        if info.expires_at and info.issued_at:
            lifetime = info.expires_at - info.issued_at
        elif info.expires_at:
            lifetime = info.expires_at - now
        else:
            lifetime = timedelta(hours=24)
        lifetime = max(lifetime, timedelta(0))
        # Never aim to refresh more often than every half-life (short-lived test tokens).
        margin = min(self.refresh_margin, lifetime / 2)
        self._token, self.info, self._refresh_at = token, info, now + lifetime - margin
        return token

    def _body(self) -> dict[str, Any]:
        scope: dict[str, Any] = {}
        if self._scope_project_id:
            scope = {"project": {"id": self._scope_project_id}}
        elif self.project_name:
            scope = {"project": {"name": self.project_name}}
        body: dict[str, Any] = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {"user": {"name": self.user, "password": self._password,
                                          "domain": {"name": self.domain}}},
                },
            }
        }
        if scope:
            body["auth"]["scope"] = scope
        return body

    # -- httpx.Auth -----------------------------------------------------------------------------
    def sync_auth_flow(self, request):  # pragma: no cover - only async clients are used
        raise RuntimeError("TokenAuth only supports httpx.AsyncClient")

    async def async_auth_flow(self, request: httpx.Request):
        token = await self.get_token()
        request.headers["X-Auth-Token"] = token
        response = yield request
        if response.status_code != 401:
            return
        await response.aread()
        try:
            code, _ = find_error_fields(response.json())
        except ValueError:
            code = None
        if code not in AUTH_ERROR_CODES:
            return
        # Expired/revoked token: fetch a new one and repeat this request exactly once.
        token = await self.get_token(stale=token)
        request.headers["X-Auth-Token"] = token
        yield request

