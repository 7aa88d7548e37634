"""Plain request/response values passed between the simulator core and its adapters.

Nothing here knows about HTTP libraries: the httpx transport and the stdlib server each
convert their own request objects into a :class:`SimRequest` and back from a :class:`SimResponse`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping
from urllib.parse import quote, unquote, unquote_plus

JSON_CONTENT_TYPE = "application/json;charset=UTF-8"


def _normalise_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else (headers or [])
    # Header names are case-insensitive; keep them lower-cased so lookups are simple.
    return {str(name).lower(): str(value) for name, value in items}


def _raw_query(query: str | Iterable[tuple[str, Any]] | None) -> str:
    if query is None:
        return ""
    if isinstance(query, str):
        return query.lstrip("?")
    return "&".join(f"{quote(str(k), safe='~')}={quote(str(v), safe='~')}" for k, v in query)


@dataclass(frozen=True)
class SimRequest:
    """One request as it arrived.

    ``path`` is the raw path as sent (still percent-encoded, no query); ``query`` is either the raw
    query string as sent (what signature verification needs) or a list of (key, value) pairs,
    which are then encoded the SDK way (``%20`` for spaces).
    """

    method: str
    path: str
    query: str | tuple[tuple[str, str], ...] | list[tuple[str, str]] = ""
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = field(default_factory=dict)
    body: bytes = b""

    def __post_init__(self) -> None:
        path, _, inline_query = self.path.partition("?")
        raw = _raw_query(self.query) or inline_query
        object.__setattr__(self, "method", self.method.upper())
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "query", raw)
        object.__setattr__(self, "headers", _normalise_headers(self.headers))
        if isinstance(self.body, str):
            object.__setattr__(self, "body", self.body.encode("utf-8"))
        object.__setattr__(self, "body", self.body or b"")

    @property
    def raw_query(self) -> str:
        return str(self.query)

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)  # type: ignore[union-attr]

    def query_pairs(self) -> list[tuple[str, str]]:
        """Decoded (key, value) pairs; ``+`` is read as a space, as Java servlet containers do."""
        pairs = []
        for part in self.raw_query.split("&"):
            if not part:
                continue
            key, _, value = part.partition("=")
            pairs.append((unquote_plus(key), unquote_plus(value)))
        return pairs

    def query_dict(self) -> dict[str, str]:
        """Last value wins for repeated keys; use :meth:`query_list` for repeated ones."""
        return dict(self.query_pairs())

    def query_list(self, key: str) -> list[str]:
        return [v for k, v in self.query_pairs() if k == key]

    def path_segments(self) -> list[str]:
        return [unquote(s) for s in self.path.split("/")]


@dataclass
class SimResponse:
    """One answer. ``fault`` tells the adapter to misbehave instead of answering normally:
    ``"hang"`` (never answer, the client times out), ``"drop"`` (close the connection),
    ``"refuse"`` (as if nothing listened). ``delay_seconds`` is latency to add first."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    fault: str | None = None
    delay_seconds: float = 0.0
    hang_seconds: float = 0.0

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class SimError(Exception):
    """Raised by handlers to answer with an error body (``{error_code, error_msg}`` plus extras)."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error_code": self.code, "error_msg": self.message, **self.extra}


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> SimResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return SimResponse(status, {"Content-Type": JSON_CONTENT_TYPE, **(headers or {})}, body)


def parse_json_body(request: SimRequest, error: SimError) -> dict[str, Any]:
    """The request body as a JSON object, or ``error`` (a 400 in the service's own format)."""
    try:
        payload = json.loads(request.body.decode("utf-8")) if request.body else None
    except (UnicodeDecodeError, ValueError):
        raise error from None
    if not isinstance(payload, dict):
        raise error
    return payload
