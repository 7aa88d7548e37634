"""One-line, secret-free descriptions of failures, and the auth-failure classification.

Reasons are built only from an error's kind, status, error code and message (never from
headers, URLs with queries or request bodies), then passed through `drstui.logs.redact`
when that module is available.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from drstui.logs import redact as project_redact

_MAX_REASON = 160
_TOKEN_PATH = "/v3/auth/tokens"


def redact(text: str) -> str:
    """The project's redactor, over text already built without secrets (a second guard)."""
    try:
        return str(project_redact(text))
    except Exception:
        return text


def describe(error: BaseException) -> str:
    """'connection refused', 'HTTP 503 DRS.10000001: Failed.', 'throttled (HTTP 429)' ... on one
    line, in words: what went wrong, without the endpoint (see `where` and `failure`)."""
    kind = getattr(error, "kind", None)
    status = getattr(error, "status", None)
    code = getattr(error, "error_code", None)
    msg = getattr(error, "error_msg", None)
    if kind is None:  # not an ApiError: a bug or an unexpected failure below us
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return _one_line(text)
    if kind == "connect" and status is None:
        return _one_line(connect_words(msg or ""))
    if kind == "timeout" and status is None:
        if not msg:
            return "timeout"
        phase = re.search(r"\((\w+ timeout)\)", msg)  # the API layer's 'no answer in time (read timeout)'
        if phase:
            return f"{phase.group(1)}: no answer in time"
        return _one_line(msg if "timeout" in msg.lower() else f"timeout: {msg}")
    parts = [f"HTTP {status}" if status is not None else kind]
    if code and code != str(status):
        parts.append(str(code))
    text = " ".join(parts)
    if kind == "malformed":
        text = f"malformed answer ({text})" if status is not None else "malformed answer"
    if msg:
        text += f": {msg}"
    return _one_line(text)


# What the socket layer says -> what it means, checked in order (lower-case substrings).
_CONNECT_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("refused", "all connection attempts failed", "errno 111", "errno 61"), "connection refused"),
    (("name or service not known", "nodename nor servname", "getaddrinfo", "name resolution",
      "no address associated", "errno -2", "errno -3", "errno 8"), "host name not found"),
    (("certificate", "ssl", "tls", "handshake"), "TLS handshake failed (certificate not trusted?)"),
    (("network is unreachable", "no route to host", "host is unreachable"), "network unreachable"),
    (("reset", "disconnected", "broken pipe", "remoteprotocolerror", "closed"), "connection dropped"),
)


def connect_words(message: str) -> str:
    """A transport failure in words ('connection refused', 'host name not found', ...)."""
    raw = message.strip()
    if raw.lower().startswith("connection failed:"):
        raw = raw.split(":", 1)[1].strip()  # the API layer's own prefix: said once, not twice
    lower = raw.lower()
    for needles, words in _CONNECT_WORDS:
        if any(needle in lower for needle in needles):
            return words
    return f"cannot connect: {raw}" if raw else "cannot connect"


def where(error: BaseException) -> str | None:
    """host[:port] of the endpoint that failed, when the API layer knows it."""
    host = getattr(error, "host", None)
    return str(host) if host else None


def failure(error: BaseException) -> str:
    """'host: what went wrong' - the one line for the header and the cutover log."""
    why = describe(error)
    host = where(error)
    return _one_line(f"{host}: {why}") if host else why


def full_detail(error: BaseException) -> tuple[str, ...]:
    """Everything worth knowing about a failure, secret-free, over a few lines (for the
    details view and the log): endpoint, request, status, code, request id, exception."""
    lines = []
    host = where(error)
    if host:
        lines.append(f"endpoint: {host}")
    method, path = getattr(error, "method", None), getattr(error, "path", None)
    if method or path:
        lines.append(f"request: {method or ''} {path or ''}".rstrip())
    status, code = getattr(error, "status", None), getattr(error, "error_code", None)
    if status is not None or code:
        shown_code = code if code and code != str(status) else None
        lines.append("answer: " + " ".join(str(p) for p in (f"HTTP {status}" if status else None, shown_code) if p))
    request_id = getattr(error, "request_id", None)
    if request_id:
        lines.append(f"request id: {request_id}")
    message = getattr(error, "error_msg", None) or str(error)
    lines.append(f"exception: {type(error).__name__}: {message}" if message else f"exception: {type(error).__name__}")
    return tuple(" ".join(redact(line).split())[:_MAX_DETAIL] for line in lines)


_MAX_DETAIL = 600


def _one_line(text: str) -> str:
    # Redact first, then cut: a secret cut in half would no longer be recognised.
    text = " ".join(redact(str(text)).split())
    if len(text) > _MAX_REASON:
        text = text[: _MAX_REASON - 1] + "…"
    return text


def is_credential_failure(error: BaseException) -> bool:
    """Credentials themselves were refused: retrying cannot help and may lock the account.

    That is an auth error from the IAM token endpoint (wrong user/password), or a gateway
    rejection of an AK/SK signature (5 bad signatures in a row lock the AK for 5 minutes).
    A merely expired token is renewed by the API layer and does not reach us as such.
    """
    if getattr(error, "kind", None) != "auth":
        return False
    path = getattr(error, "path", None) or ""
    if path.endswith(_TOKEN_PATH):
        return True
    msg = (getattr(error, "error_msg", None) or "").lower()
    # Gateway wordings for a refused AK/SK: bad signature, or an access key it does not know.
    refused = ("signature", "aksk", "ak/sk", "access key", "ak not exist", "ak does not exist")
    return any(word in msg for word in refused) or is_clock_skew(error)


_SKEW_WORDS = re.compile(r"x-sdk-date|\bdate\b|timestamp|time ?skew|clock", re.IGNORECASE)


def is_clock_skew(error: BaseException) -> bool:
    """401 APIGW.0301 whose message blames the request date (X-Sdk-Date off by > 15 min)."""
    code = (getattr(error, "error_code", None) or "").upper()
    msg = getattr(error, "error_msg", None) or ""
    return (
        getattr(error, "status", None) == 401
        and code.endswith(".0301")
        and bool(_SKEW_WORDS.search(msg))
    )


def clock_offset_seconds(error: BaseException, local_now: datetime) -> float | None:
    """Local clock minus server clock, if the error carries the server's `Date` header.

    The API layer may expose it as `server_date` (datetime or HTTP-date string), or as a
    `headers` mapping. Positive: our clock is ahead.
    """
    server = _server_date(error)
    if server is None:
        return None
    return (local_now - server).total_seconds()


def _server_date(error: BaseException) -> datetime | None:
    value: Any = getattr(error, "server_date", None)
    if value is None:
        headers = getattr(error, "headers", None)
        if headers is not None:
            try:
                value = next((v for k, v in headers.items() if k.lower() == "date"), None)
            except AttributeError:
                value = None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, str) and value.strip():
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return None


def describe_skew(offset: float | None) -> str:
    if offset is None:
        return "clock skew: the gateway rejected the request date (X-Sdk-Date); check this host's clock"
    direction = "ahead of" if offset > 0 else "behind"
    return (
        f"clock skew: this host's clock is {_duration(abs(offset))} {direction} the server "
        "(the gateway allows 15 min); fix the clock, then retry"
    )


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 120:
        return f"{seconds} s"
    minutes, sec = divmod(seconds, 60)
    if minutes < 120:
        return f"{minutes} min {sec} s" if sec else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"
