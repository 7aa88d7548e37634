"""`CloudClient`: everything the monitor needs to talk to the cloud, built from plain settings."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from .drs import DrsClient
from .endpoints import Endpoints
from .errors import ApiError
from .iam import IamClient
from .retry import RetryPolicy
from .signing import AkSkAuth
from .sms import SmsClient
from .token import TokenAuth
from .limits import Limits
from .transport import ClientPool, HttpSession, RequestRecord


class CloudClient:
    """Holds one shared httpx client per host, the auth, and the DRS and SMS clients.

    `auth` is an `AkSkAuth`, a `TokenAuth` or any httpx.Auth. Without a `project_id`, it is
    taken from the token (TokenAuth) or looked up in IAM by region name (AK/SK, as the SDK does).
    Pass `transport` to run against an in-process simulator or a test MockTransport.

        cloud = CloudClient(region="cn-north-4", auth=AkSkAuth(ak, sk),
                            project_id="054b…", endpoints=Endpoints.for_region("cn-north-4"))
        jobs = await cloud.drs.list_jobs()
        await cloud.aclose()
    """

    def __init__(
        self,
        region: str,
        *,
        auth: httpx.Auth | None,
        project_id: str | None = None,
        endpoints: Endpoints | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool | str = True,
        language: str | None = "en-us",
        timeout: httpx.Timeout | float | None = None,
        retry_policy: RetryPolicy | None = None,
        on_request: Callable[[RequestRecord], None] | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.region = region
        self.endpoints = endpoints or Endpoints.for_region(region)
        self._pool = ClientPool(transport=transport, verify=verify, timeout=timeout)
        self._project_id = project_id
        if isinstance(auth, AkSkAuth) and project_id and not auth.project_id:
            auth = auth.with_project_id(project_id)  # the SDK signs X-Project-Id when it has one
        if isinstance(auth, TokenAuth):
            auth.limits = self.limits
            auth.configure_defaults(iam_url=self.endpoints.iam,
                                    http_client=self._pool.client_for(self.endpoints.iam),
                                    project_name=None if project_id else region)
        self.auth = auth

        def session(base_url: str, session_auth: httpx.Auth | None,
                    session_language: str | None = None) -> HttpSession:
            return HttpSession(base_url, auth=session_auth, client=self._pool.client_for(base_url),
                               retry_policy=retry_policy, language=session_language,
                               on_request=on_request, limits=self.limits)

        # X-Language only where the API defines it: every DRS call, the SMS export; no IAM call.
        self.iam = IamClient(session(self.endpoints.iam, auth if isinstance(auth, AkSkAuth) else None))
        self.drs = DrsClient(session(self.endpoints.drs, auth, language), self.project_id, region)
        self._sms = (SmsClient(session(self.endpoints.sms, auth), language=language)
                     if self.endpoints.sms else None)

    @property
    def sms(self) -> SmsClient:
        if self._sms is None:
            self.endpoints.require_sms()  # raises a clear UnknownRegionError
        assert self._sms is not None
        return self._sms

    @property
    def has_sms(self) -> bool:
        return self._sms is not None

    async def project_id(self) -> str:
        """The project id for DRS paths: configured, from the token, or looked up in IAM."""
        if self._project_id:
            return self._project_id
        if isinstance(self.auth, TokenAuth):
            if self.auth.project_id is None or self.auth.info is None:
                await self.auth.get_token()
            if self.auth.project_id:
                self._project_id = self.auth.project_id
                return self._project_id
            raise ApiError("the IAM token is not scoped to a project", kind="auth")
        if isinstance(self.auth, AkSkAuth):
            if self.auth.project_id:
                self._project_id = self.auth.project_id
                return self._project_id
            self._project_id = await self.iam.project_id_for_region(self.region)
            self.auth = self.auth.with_project_id(self._project_id)
            for client in (self.drs.http, self._sms.http if self._sms else None, self.iam.http):
                if client is not None:
                    client.auth = self.auth
            return self._project_id
        raise ApiError("no project id configured", kind="auth")

    async def aclose(self) -> None:
        if isinstance(self.auth, TokenAuth):
            await self.auth.aclose()
        await self._pool.aclose()

    async def __aenter__(self) -> CloudClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
