"""AK/SK request signing, `SDK-HMAC-SHA256`, byte-compatible with huaweicloudsdkcore (docs/api/auth.md §2).

The pure functions below build each intermediate string so they can be tested against the
recorded vectors; `AkSkAuth` applies them to outgoing httpx requests.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote, unquote, unquote_plus

import httpx

from drstui.logs import register_secret

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()

QueryParams = Mapping[str, Any] | Iterable[tuple[str, Any]]

# Headers httpx adds on its own; they are sent but not signed (docs/api/auth.md §2.4).
DEFAULT_UNSIGNED_HEADERS = frozenset(
    {"accept", "accept-encoding", "connection", "content-length", "user-agent",
     "transfer-encoding", "authorization"}
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


# -- path and query ------------------------------------------------------------------------------
def encode_path_param(value: Any) -> str:
    """A path parameter as sent: percent-encoded with no safe characters (`/` -> %2F)."""
    return quote(str(value), safe="")


def canonical_uri(path: str) -> str:
    """Decode the sent path, re-encode each segment, always end with '/'."""
    segments = unquote(path).split("/")
    uri = "/".join(quote(segment, safe="~") for segment in segments)
    return uri if uri.endswith("/") else uri + "/"


def _pairs(params: QueryParams | None) -> list[tuple[str, Any]]:
    if params is None:
        return []
    items = params.items() if isinstance(params, Mapping) else params
    return [(str(k), v) for k, v in items if v is not None]


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def canonical_query_string(params: QueryParams | None) -> str:
    """Sorted, percent-encoded query (space -> %20); list values become repeated keys."""
    parts: list[str] = []
    # Sort like the SDK (raw key, then raw value); fall back to str() when values don't compare.
    pairs = _pairs(params)
    try:
        pairs.sort()
    except TypeError:
        pairs.sort(key=lambda kv: (kv[0], str(kv[1])))
    for key, value in pairs:
        encoded_key = quote(key, safe="~")
        if isinstance(value, (list, tuple)):
            for item in sorted((_query_value(v) for v in value if v is not None)):
                parts.append(f"{encoded_key}={quote(item, safe='~')}")
        else:
            parts.append(f"{encoded_key}={quote(_query_value(value), safe='~')}")
    return "&".join(parts)


def parse_query_string(query: str) -> list[tuple[str, str]]:
    """Split a sent query string back into decoded pairs (accepts '+' for space as httpx sends)."""
    pairs: list[tuple[str, str]] = []
    for part in query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((unquote_plus(key), unquote_plus(value)))
    return pairs


def build_url(base: str, path: str, params: QueryParams | None = None) -> str:
    """The URL exactly as it is sent and signed: base + path + '?' + canonical query."""
    url = base.rstrip("/") + path
    query = canonical_query_string(params)
    return f"{url}?{query}" if query else url


# -- headers and payload ---------------------------------------------------------------------------
def signed_header_names(headers: Iterable[str]) -> list[str]:
    """Lower-cased names without underscores, sorted (the SDK skips names containing '_')."""
    return sorted({name.lower() for name in headers if "_" not in name})


def canonical_headers(headers: Sequence[tuple[str, str]], signed: Sequence[str]) -> str:
    values = {name.lower(): str(value).strip() for name, value in headers}
    return "".join(f"{name}:{values[name]}\n" for name in signed)


def payload_hash(body: bytes | str | None, headers: Sequence[tuple[str, str]] = ()) -> str:
    if not body:
        return EMPTY_BODY_SHA256
    for name, value in headers:
        if name.lower() == "x-sdk-content-sha256":
            return value
    data = body.encode("utf-8") if isinstance(body, str) else body
    return hashlib.sha256(data).hexdigest()


# -- the signature ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Signature:
    canonical_request: str
    string_to_sign: str
    signed_headers: str
    signature: str
    authorization: str


def canonical_request(
    method: str,
    path: str,
    query: str,
    headers: Sequence[tuple[str, str]],
    body: bytes | str | None,
) -> tuple[str, str]:
    """(canonical request, signed-headers string). `query` is the canonical query string."""
    signed = signed_header_names(name for name, _ in headers)
    request = "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            query,
            canonical_headers(headers, signed),
            ";".join(signed),
            payload_hash(body, headers),
        ]
    )
    return request, ";".join(signed)


def string_to_sign(canonical: str, sdk_date: str) -> str:
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{digest}"


def hmac_signature(sk: str, to_sign: str) -> str:
    return hmac.new(sk.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_header(ak: str, signed_headers: str, signature: str) -> str:
    return f"{ALGORITHM} Access={ak}, SignedHeaders={signed_headers}, Signature={signature}"


def sign(
    ak: str,
    sk: str,
    method: str,
    path: str,
    query: str,
    headers: Sequence[tuple[str, str]],
    body: bytes | str | None,
) -> Signature:
    """Sign a fully prepared request. `headers` must already hold X-Sdk-Date and Host and
    only the headers to be signed."""
    sdk_date = next((v for k, v in headers if k.lower() == "x-sdk-date"), None)
    if not sdk_date:
        raise ValueError("X-Sdk-Date header is required for signing")
    canonical, signed = canonical_request(method, path, query, headers, body)
    to_sign = string_to_sign(canonical, sdk_date.strip())
    signature = hmac_signature(sk, to_sign)
    return Signature(canonical, to_sign, signed, signature, authorization_header(ak, signed, signature))


# -- httpx integration -----------------------------------------------------------------------------
class AkSkAuth(httpx.Auth):
    """Signs each request like `BasicCredentials(ak, sk, project_id).sign_request()`.

    The query string is re-canonicalised and, if httpx would send something else, the request
    URL is rewritten so that what is sent is exactly what is signed (docs/api/auth.md §2.4)."""

    requires_request_body = True

    def __init__(
        self,
        ak: str,
        sk: str,
        project_id: str | None = None,
        security_token: str | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        unsigned_headers: frozenset[str] = DEFAULT_UNSIGNED_HEADERS,
    ) -> None:
        if not ak or not sk:
            raise ValueError("AK and SK are both required for AK/SK signing")
        self.ak = ak
        self._sk = sk
        register_secret(sk)  # masked in every log line, error and crash report
        register_secret(security_token)
        self.project_id = project_id
        self._security_token = security_token
        self._clock = clock
        self._unsigned = frozenset(h.lower() for h in unsigned_headers)

    def __repr__(self) -> str:
        return f"AkSkAuth(ak={self.ak!r}, project_id={self.project_id!r}, sk=***)"

    def with_project_id(self, project_id: str | None) -> AkSkAuth:
        return AkSkAuth(
            self.ak, self._sk, project_id, self._security_token,
            clock=self._clock, unsigned_headers=self._unsigned,
        )

    def sign_request(self, request: httpx.Request) -> Signature:
        """Add the SDK headers and Authorization to `request` (in place)."""
        headers = request.headers
        if self.project_id:
            headers["X-Project-Id"] = self.project_id
        if self._security_token:
            headers["X-Security-Token"] = self._security_token
        if "X-Sdk-Date" not in headers:
            headers["X-Sdk-Date"] = self._clock().astimezone(timezone.utc).strftime(DATE_FORMAT)
        if "Host" not in headers:
            headers["Host"] = request.url.netloc.decode("ascii")
        query = canonical_query_string(parse_query_string(request.url.query.decode("ascii")))
        if query != request.url.query.decode("ascii"):
            request.url = request.url.copy_with(query=query.encode("ascii") or None)
        to_sign = [(k, v) for k, v in headers.multi_items() if k.lower() not in self._unsigned]
        path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        signature = sign(self.ak, self._sk, request.method, path, query, to_sign, request.content)
        headers["Authorization"] = signature.authorization
        return signature

    def auth_flow(self, request: httpx.Request):
        self.sign_request(request)
        yield request
