"""One error type for everything the API layer can fail with.

`ApiError.kind` tells callers *how* a call failed, so the monitor can decide what to do
(back off on "throttled", ask for credentials on "auth", mark data stale on the rest):

* ``http``      the server answered with an error status (or a 200 carrying ``error_code``)
* ``timeout``   no answer in time
* ``connect``   the connection failed or dropped
* ``malformed`` the answer could not be understood (bad JSON, wrong field types)
* ``auth``      401 / rejected credentials (token or AK/SK)
* ``throttled`` 429 from the gateway
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from drstui.logs import redact

KINDS = ("http", "timeout", "connect", "malformed", "auth", "throttled")

# Gateway auth failures: APIGW.0301 (both spellings of the prefix exist in the docs).
AUTH_ERROR_CODES = frozenset({"APIGW.0301", "APIG.0301"})

_MAX_MSG = 300  # keep str(ApiError) on one readable line


class ApiError(Exception):
    """A failed API call. `str()` is one human line and never contains credentials."""

    def __init__(
        self,
        error_msg: str,
        *,
        kind: str = "http",
        status: int | None = None,
        error_code: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
        details: tuple[Mapping[str, Any], ...] = (),
        error_param: tuple[str, ...] = (),
        encoded_authorization_message: str | None = None,
        method: str | None = None,
        path: str | None = None,
        server_date: str | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown ApiError kind {kind!r}")
        super().__init__(error_msg)
        self.error_msg = error_msg
        self.kind = kind
        self.status = status
        self.error_code = error_code
        self.request_id = request_id
        self.retry_after = retry_after
        self.details = tuple(details)
        self.error_param = tuple(error_param)
        self.encoded_authorization_message = encoded_authorization_message
        self.method = method
        self.path = path  # URL path only; never the query or headers
        # The answer's `Date` header (HTTP-date), so a clock-skew rejection can say by how much
        # this host's clock is off (drstui.monitor.reasons.clock_offset_seconds).
        self.server_date = server_date
        # host[:port] of the endpoint that failed, set by the session that sent the request
        # (so a failure can say which endpoint: DRS, SMS, IAM or a private one).
        self.host: str | None = None
        # True when the request may have reached the server and been acted on, but the answer
        # was lost (dropped connection, deadline): an action must be looked up, not re-sent.
        self.outcome_unknown = False

    # -- classification helpers -------------------------------------------------------------
    @property
    def is_auth_expired(self) -> bool:
        """401 APIGW.0301: bad/expired token or bad signature."""
        return self.status == 401 and (self.error_code or "") in AUTH_ERROR_CODES

    @property
    def is_not_found(self) -> bool:
        """DRS answers 'job not found' with 400 DRS.10000010, SMS/others with 404."""
        return self.status == 404 or self.error_code == "DRS.10000010"

    @property
    def is_client_error(self) -> bool:
        return self.status is not None and 400 <= self.status < 500

    @property
    def is_server_error(self) -> bool:
        return self.status is not None and self.status >= 500

    # -- presentation -----------------------------------------------------------------------
    def __str__(self) -> str:
        parts: list[str] = []
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        elif self.kind != "http":
            parts.append(self.kind)
        if self.error_code:
            parts.append(self.error_code)
        head = " ".join(parts)
        # Redact first, then cut: a secret cut in half would no longer be recognised.
        msg = " ".join(redact(str(self.error_msg)).split())  # one line
        if len(msg) > _MAX_MSG:
            msg = msg[: _MAX_MSG - 1] + "…"
        text = f"{head}: {msg}" if head else msg
        where = f"{self.method} {self.path}" if self.method and self.path else self.path
        if where:
            text += f" [{where}]"
        if self.retry_after is not None:
            text += f" (retry after {self.retry_after:g}s)"
        if self.request_id:
            text += f" (request id {self.request_id})"
        return text

    def __repr__(self) -> str:
        return (
            f"ApiError(kind={self.kind!r}, status={self.status!r}, "
            f"error_code={self.error_code!r}, error_msg={self.error_msg!r}, "
            f"request_id={self.request_id!r})"
        )

    # -- construction from HTTP answers -----------------------------------------------------
    @classmethod
    def from_response(
        cls,
        status: int,
        body: bytes | str | None,
        headers: Mapping[str, str] | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
        retry_after: float | None = None,
    ) -> ApiError:
        """Build an error from a >= 400 answer, mirroring the SDK's parsing (docs/api/drs.md §3.3)."""
        headers = headers or {}
        request_id = _header(headers, "X-Request-Id")
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
        code: str | None = None
        msg: str | None = None
        extras: dict[str, Any] = {}
        try:
            parsed = json.loads(text) if text.strip() else None
        except ValueError:
            parsed = None
        except RecursionError:  # JSON nested deeper than Python recurses: no message to find
            parsed = None
            msg = "error answer nested too deeply to read"
        if isinstance(parsed, Mapping):
            code, msg = find_error_fields(parsed)
            request_id = request_id or _as_str(parsed.get("request_id"))
            extras = _sms_403_extras(parsed)
        if msg is None:
            msg = text.strip() or _default_message(status)
        if code is None and not isinstance(parsed, Mapping):
            code = str(status)  # the SDK uses the HTTP status as the code for non-JSON bodies
        if status == 429:
            kind = "throttled"
        elif status == 401 or (code or "") in AUTH_ERROR_CODES:
            kind = "auth"
        else:
            kind = "http"
        return cls(
            msg,
            kind=kind,
            status=status,
            error_code=code,
            request_id=request_id,
            retry_after=retry_after,
            method=method,
            path=path,
            server_date=_header(headers, "Date"),
            **extras,
        )


def find_error_fields(obj: Any, _depth: int = 0) -> tuple[str | None, str | None]:
    """(code, message) from an error body: error_code/error_msg, errorCode/errorMsg,
    code/message, else the first nested object that has one of those pairs."""
    if not isinstance(obj, Mapping) or _depth > 5:
        return None, None
    for code_key, msg_key in (("error_code", "error_msg"), ("errorCode", "errorMsg"), ("code", "message")):
        code, msg = obj.get(code_key), obj.get(msg_key)
        if code_key == "error_code" and msg is None:
            msg = obj.get("error_message")  # v3 batch-status spelling
        if _present(code) or _present(msg):
            return _as_str(code), _as_str(msg)
    for value in obj.values():
        if isinstance(value, Mapping):
            code, msg = find_error_fields(value, _depth + 1)
            if code is not None or msg is not None:
                return code, msg
    return None, None


def body_error(
    obj: Any,
    *,
    status: int = 200,
    request_id: str | None = None,
    method: str | None = None,
    path: str | None = None,
) -> ApiError | None:
    """An ApiError if a *successful* JSON body carries a top-level error_code (docs/api/drs.md §1.6)."""
    if not isinstance(obj, Mapping):
        return None
    code = obj.get("error_code", obj.get("errorCode"))
    if not _present(code):
        return None
    msg = obj.get("error_msg", obj.get("errorMsg", obj.get("error_message")))
    return ApiError(
        _as_str(msg) or "error reported in a successful response",
        kind="auth" if str(code) in AUTH_ERROR_CODES else "http",
        status=status,
        error_code=_as_str(code),
        request_id=request_id or _as_str(obj.get("request_id")),
        method=method,
        path=path,
    )


def malformed(message: str, *, status: int | None = None, path: str | None = None,
              request_id: str | None = None) -> ApiError:
    return ApiError(message, kind="malformed", status=status, path=path, request_id=request_id)


def _sms_403_extras(parsed: Mapping[str, Any]) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    enc = parsed.get("encoded_authorization_message")
    if isinstance(enc, str):
        extras["encoded_authorization_message"] = enc
    params = parsed.get("error_param")
    if isinstance(params, list):
        extras["error_param"] = tuple(str(p) for p in params if p is not None)
    details = parsed.get("details")
    if isinstance(details, list):
        extras["details"] = tuple(
            {"error_code": _as_str(d.get("error_code")), "error_msg": _as_str(d.get("error_msg"))}
            for d in details
            if isinstance(d, Mapping)
        )
    return extras


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lower = name.lower()
        for key, val in headers.items():
            if key.lower() == lower:
                return val
    return value


def _default_message(status: int) -> str:
    return "server error" if status >= 500 else "client error"
