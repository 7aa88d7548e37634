"""The one place that talks HTTP: build the URL, send, retry, map failures to ApiError.

One `HttpSession` per service base URL; sessions on the same host share one
`httpx.AsyncClient` (see `ClientPool`), so connections are reused across DRS, SMS and IAM
when they live on one host (the simulator).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import re
import ssl
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from .errors import ApiError, body_error, malformed
from .limits import (
    ACCEPT_ENCODING,
    Deadline,
    Limits,
    TooLarge,
    deadline_error,
    decoded_chunks,
    read_capped,
    too_large_error,
)
from .retry import DEFAULT_TIMEOUT, RetryPolicy, parse_retry_after
from .signing import QueryParams, build_url, utc_now

_USERINFO = re.compile(r"(://)[^/@\s]+@")
# Failures that happen before a byte of the request left: the server cannot have acted.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def _remember_missing_sniffio() -> None:
    """httpcore asks `import sniffio` on every lock, event and semaphore it sets up (several
    per request), and falls back to asyncio when that fails. Python does not remember a failed
    import, so without sniffio installed (anyio no longer pulls it in) each ask searches every
    folder of sys.path again: about a fifth of the client's CPU per request. A None entry in
    sys.modules makes the same import fail at once, with the same ImportError."""
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


_remember_missing_sniffio()

JSON_CONTENT_TYPE = "application/json"
SMS_EXPORT_CONTENT_TYPE = "application/json;charset=utf-8"


@dataclass(frozen=True)
class RequestRecord:
    """What the optional request hook sees: no headers, no query, no bodies."""

    method: str
    path: str
    status: int | None
    duration: float
    attempt: int
    error_kind: str | None = None


@dataclass(frozen=True)
class JsonResponse:
    data: Any
    status: int
    request_id: str | None
    headers: httpx.Headers


def dumps_compact(obj: Any) -> bytes:
    """Serialise a request body once; these exact bytes are hashed (AK/SK) and sent."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def parse_json_body(body: bytes, *, status: int, path: str | None = None,
                    request_id: str | None = None) -> Any:
    """Parse a response body; empty -> None; anything unparseable -> ApiError(malformed)."""
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise malformed(f"response is not valid JSON ({exc.__class__.__name__})",
                        status=status, path=path, request_id=request_id) from None


def make_client(
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    verify: bool | str = True,
    timeout: httpx.Timeout | float | None = None,
) -> httpx.AsyncClient:
    """An AsyncClient with explicit timeouts, TLS verified by default (a CA bundle path is
    accepted), proxies/CA from the standard environment variables, and no redirects."""
    if isinstance(verify, str):
        # httpx 0.28 deprecates a CA path in `verify`; give it an SSL context instead.
        verify = ssl.create_default_context(cafile=verify)
    return httpx.AsyncClient(
        transport=transport,
        verify=verify,
        timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
        trust_env=True,
        follow_redirects=False,
        # Only what `drstui.api.limits` decodes in bounded steps.
        headers={"Accept-Encoding": ACCEPT_ENCODING},
    )


class ClientPool:
    """One shared httpx.AsyncClient per endpoint host (scheme://host:port)."""

    def __init__(self, *, transport=None, verify: bool | str = True, timeout=None) -> None:
        self._transport = transport
        self._verify = verify
        self._timeout = timeout
        self._clients: dict[str, httpx.AsyncClient] = {}

    def client_for(self, base_url: str) -> httpx.AsyncClient:
        url = httpx.URL(base_url)
        key = f"{url.scheme}://{url.netloc.decode('ascii')}"
        if key not in self._clients:
            self._clients[key] = make_client(
                transport=self._transport, verify=self._verify, timeout=self._timeout
            )
        return self._clients[key]

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()


class HttpSession:
    """Requests against one service base URL with auth, retries and error mapping."""

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth | None = None,
        client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool | str = True,
        timeout: httpx.Timeout | float | None = None,
        retry_policy: RetryPolicy | None = None,
        language: str | None = "en-us",
        on_request: Callable[[RequestRecord], None] | None = None,
        clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        limits: Limits | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        url = httpx.URL(self.base_url)
        # host[:port] only (never user info): named in errors so a failure says which endpoint.
        self.host = f"{url.host}:{url.port}" if url.port else url.host
        self.limits = limits or Limits()
        self.auth = auth
        self._owns_client = client is None
        self._client = client or make_client(transport=transport, verify=verify, timeout=timeout)
        self.retry_policy = retry_policy or RetryPolicy()
        self.language = language
        self.on_request = on_request
        self._clock = clock
        self._monotonic = monotonic

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> HttpSession:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- public helpers -------------------------------------------------------------------------
    async def request_json(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        safe: bool = False,
        content_type: str = JSON_CONTENT_TYPE,
        check_body_error: bool = True,
    ) -> JsonResponse:
        """Send and parse a JSON answer. `safe=True` marks a read-only POST as retryable.
        With `check_body_error`, a 2xx body carrying a top-level error_code raises."""
        response, content = await self._send(method, path, params=params, json_body=json_body,
                                             headers=headers, safe=safe,
                                             content_type=content_type, stream=False)
        request_id = response.headers.get("X-Request-Id")
        try:
            data = parse_json_body(content, status=response.status_code, path=path,
                                   request_id=request_id)
        except ApiError as error:
            error.host = error.host or self.host
            raise
        if check_body_error:
            err = body_error(data, status=response.status_code, request_id=request_id,
                             method=method, path=path)
            if err is not None:
                err.host = err.host or self.host
                raise err
        return JsonResponse(data, response.status_code, request_id, response.headers)

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        safe: bool = False,
        content_type: str = JSON_CONTENT_TYPE,
    ) -> AsyncIterator[httpx.Response]:
        """A 2xx response whose body is not read yet (for file downloads): read it with
        `body_chunks` (size-capped). The whole download, answer and body, must be done within
        `limits.download_deadline`, or ApiError(kind="timeout") is raised."""
        method = method.upper()
        seconds = self.limits.download_deadline
        try:
            async with asyncio.timeout(seconds):
                response, _ = await self._send(method, path, params=params, json_body=json_body,
                                               headers=headers, safe=safe,
                                               content_type=content_type, stream=True)
                try:
                    yield response
                except httpx.TransportError as exc:  # the body broke off mid-download
                    error = self._transport_error(exc, method, path, safe=safe)
                    error.host = self.host
                    raise error from None
                finally:
                    await response.aclose()
        except TimeoutError:
            error = deadline_error("download", seconds, method=method, path=path)
            error.outcome_unknown = not self.retry_policy.is_safe(method, safe)
            error.host = self.host
            raise error from None

    async def body_chunks(self, response: httpx.Response) -> AsyncIterator[bytes]:
        """The decoded body of a `stream` response; ApiError once past `max_download_bytes`."""
        try:
            async for piece in decoded_chunks(response, self.limits.max_download_bytes):
                yield piece
        except TooLarge as exc:
            raise too_large_error("download", exc.limit, "max_download_mb",
                                  status=response.status_code, method=response.request.method,
                                  path=response.request.url.path) from None
        except ValueError as exc:
            raise ApiError(str(exc), kind="malformed", status=response.status_code,
                           method=response.request.method, path=response.request.url.path) from None

    def check_file_answer(self, response: httpx.Response) -> None:
        """Refuse what is not a file: a redirect (its HTML page), 204/205 (nothing), an HTML page
        (a login portal or proxy error page answering in the API's place)."""
        status = response.status_code
        content_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        problem = None
        if not 200 <= status < 300 or status in (204, 205):
            problem = f"expected a file, got HTTP {status}"
            location = response.headers.get("Location")
            if 300 <= status < 400 and location:
                problem += " (a redirect, not followed)"
        elif content_type in ("text/html", "application/xhtml+xml"):
            problem = f"expected a file, got a web page ({content_type})"
        if problem:
            raise ApiError(problem, kind="malformed", status=status,
                           method=response.request.method, path=response.request.url.path)

    async def body_chunks_nonempty(self, response: httpx.Response) -> AsyncIterator[bytes]:
        """`body_chunks`, failing at the end if there was no byte at all (no file to save)."""
        size = 0
        async for piece in self.body_chunks(response):
            size += len(piece)
            yield piece
        if size == 0:
            raise ApiError("expected a file, got an empty answer", kind="malformed",
                           status=response.status_code, method=response.request.method,
                           path=response.request.url.path)

    async def read_small(self, response: httpx.Response) -> bytes:
        """The decoded body of a `stream` response that should be a JSON answer, not a file."""
        return await self._read_answer(response, response.request.method,
                                       response.request.url.path)

    # -- internals ------------------------------------------------------------------------------
    def _headers(self, extra: Mapping[str, str] | None, content_type: str) -> dict[str, str]:
        headers = {"Content-Type": content_type}  # the SDK sends it on every call, GET too
        if self.language:
            headers["X-Language"] = self.language
        if extra:
            headers.update(extra)
        return headers

    async def _send(self, method, path, *, params, json_body, headers, safe, content_type,
                    stream) -> tuple[httpx.Response, bytes]:
        """The answer (and its decoded body, unless `stream`), under the call deadline."""
        method = method.upper()
        seconds = self.limits.call_deadline
        try:
            async with asyncio.timeout(seconds):
                return await self._attempts(method, path, params=params, json_body=json_body,
                                            headers=headers, safe=safe,
                                            content_type=content_type, stream=stream)
        except TimeoutError:
            error = deadline_error("call", seconds, method=method, path=path)
            # The request may have reached the server: an action's outcome is not known.
            error.outcome_unknown = not self.retry_policy.is_safe(method, safe)
            error.host = self.host
            raise error from None
        except ApiError as error:
            error.host = error.host or self.host  # an IAM error keeps the IAM host
            raise

    async def _read_answer(self, response: httpx.Response, method: str, path: str) -> bytes:
        try:
            return await read_capped(response, self.limits.max_answer_bytes)
        except TooLarge as exc:
            raise too_large_error("answer", exc.limit, "max_answer_mb",
                                  status=response.status_code, method=method, path=path) from None
        except ValueError as exc:
            raise malformed(str(exc), status=response.status_code, path=path) from None

    async def _attempts(self, method, path, *, params, json_body, headers, safe, content_type,
                        stream) -> tuple[httpx.Response, bytes]:
        url = build_url(self.base_url, path, params)
        body = dumps_compact(json_body) if json_body is not None else None
        all_headers = self._headers(headers, content_type)
        safe = self.retry_policy.is_safe(method, safe)
        policy = self.retry_policy
        attempt = 0
        while True:
            attempt += 1
            request = self._client.build_request(method, url, content=body, headers=all_headers)
            started = self._monotonic()
            content = b""
            try:
                response = await self._client.send(request, auth=self.auth, stream=True)
                try:
                    if response.status_code >= 400:
                        # Only the start of an error answer matters; never inflate the rest.
                        content = await read_capped(response, self.limits.max_error_bytes,
                                                    cut=True)
                    elif not stream:
                        content = await self._read_answer(response, method, path)
                except BaseException:
                    await response.aclose()
                    raise
            except ValueError as exc:  # an error answer whose compression is corrupt
                content = str(exc).encode()
            except httpx.TransportError as exc:
                error = self._transport_error(exc, method, path, safe=safe)
                self._record(method, path, None, started, attempt, error.kind)
                delay = policy.delay_after_exception(attempt, exc, safe)
                if delay is None:
                    raise error from None
                await policy.sleep(delay)
                continue
            except ApiError as exc:  # raised by an auth flow (e.g. token fetch failed)
                self._record(method, path, exc.status, started, attempt, exc.kind)
                raise
            status = response.status_code
            self._record(method, path, status, started, attempt,
                         None if status < 400 else ("throttled" if status == 429 else "http"))
            if status < 400:
                if not stream:
                    await response.aclose()
                return response, content
            retry_after = parse_retry_after(response.headers.get("Retry-After"), self._clock())
            delay = policy.delay_after_status(attempt, status, retry_after, safe)
            if delay is None:
                await response.aclose()
                raise ApiError.from_response(status, content, response.headers,
                                             method=method, path=path, retry_after=retry_after)
            await response.aclose()
            await policy.sleep(delay)

    def _transport_error(self, exc: httpx.TransportError, method: str, path: str, *,
                         safe: bool = True) -> ApiError:
        if isinstance(exc, httpx.TimeoutException):
            phase = type(exc).__name__.replace("Timeout", "").lower() or "request"
            error = ApiError(f"no answer in time ({phase} timeout)", kind="timeout",
                             method=method, path=path)
        else:
            # Proxy URLs from the environment may carry user:password; never echo those.
            detail = _USERINFO.sub(r"\1***@", str(exc).strip()) or type(exc).__name__
            error = ApiError(f"connection failed: {detail}", kind="connect", method=method,
                             path=path)
        # Once the request may have been sent, an action may have happened on the server.
        error.outcome_unknown = not safe and not isinstance(exc, _NOT_SENT)
        return error

    def _record(self, method, path, status, started, attempt, error_kind) -> None:
        if self.on_request is None:
            return
        record = RequestRecord(method, path, status, self._monotonic() - started, attempt,
                               error_kind)
        try:
            self.on_request(record)
        except Exception:  # a logging hook must never break an API call
            pass
