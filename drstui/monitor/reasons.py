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
    """'timeout', 'HTTP 503 DRS.10000001: Failed.', 'throttled (HTTP 429)' ... on one line."""
    kind = getattr(error, "kind", None)
    status = getattr(error, "status", None)
    code = getattr(error, "error_code", None)
    msg = getattr(error, "error_msg", None)
    if kind is None:  # not an ApiError: a bug or an unexpected failure below us
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return _one_line(text)
    if kind in ("timeout", "connect") and status is None:
        head = "timeout" if kind == "timeout" else "connection failed"
        return _one_line(f"{head}: {msg}" if msg else head)
    parts = [f"HTTP {status}" if status is not None else kind]
    if code and code != str(status):
        parts.append(str(code))
    text = " ".join(parts)
    if kind == "malformed":
        text = f"malformed answer ({text})" if status is not None else "malformed answer"
    if msg:
        text += f": {msg}"
    return _one_line(text)


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
