"""Server-side verification of ``SDK-HMAC-SHA256`` AK/SK signatures (docs/api/auth.md §2).

Written independently of ``drstui/api/`` so the two implementations check each other. The
canonical request is rebuilt from the request *as received*: the raw path and the raw query
string, the signed headers' values and the exact body bytes.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote, unquote

from .messages import SimRequest

ALGORITHM = "SDK-HMAC-SHA256"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()
MAX_CLOCK_SKEW_SECONDS = 15 * 60


class SignatureRejected(Exception):
    """The request is not validly signed; ``reason`` is safe to show (no secrets in it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AuthorizationHeader:
    access_key: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> AuthorizationHeader:
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise SignatureRejected("unsupported signing algorithm")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, val = part.strip().partition("=")
        if sep:
            fields[key] = val
    try:
        return AuthorizationHeader(
            access_key=fields["Access"],
            signed_headers=tuple(h for h in fields["SignedHeaders"].split(";") if h),
            signature=fields["Signature"],
        )
    except KeyError:
        raise SignatureRejected("malformed Authorization header") from None


def canonical_uri(raw_path: str) -> str:
    segments = [quote(segment, safe="~") for segment in unquote_path_segments(raw_path)]
    uri = "/".join(segments)
    return uri if uri.endswith("/") else uri + "/"


def unquote_path_segments(raw_path: str) -> list[str]:
    # Decode the whole path first, then split: an encoded slash becomes a real separator,
    # exactly as the SDK's signer does it.
    return unquote(raw_path).split("/")


def canonical_query(raw_query: str) -> str:
    pairs = []
    for part in raw_query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        # Plain percent-decoding: a literal "+" stays "+" (and is re-encoded as %2B).
        pairs.append((unquote(key), unquote(value)))
    pairs.sort()
    return "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in pairs)


def canonical_request(request: SimRequest, signed_headers: tuple[str, ...]) -> str:
    header_lines = "".join(f"{name}:{(request.header(name) or '').strip()}\n" for name in signed_headers)
    return "\n".join(
        [
            request.method.upper(),
            canonical_uri(request.path),
            canonical_query(request.raw_query),
            header_lines,
            ";".join(signed_headers),
            payload_hash(request),
        ]
    )


def payload_hash(request: SimRequest) -> str:
    if not request.body:
        return EMPTY_BODY_SHA256
    declared = request.header("x-sdk-content-sha256")
    if declared:
        return declared
    return hashlib.sha256(request.body).hexdigest()


def string_to_sign(sdk_date: str, canonical: str) -> str:
    return f"{ALGORITHM}\n{sdk_date}\n{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"


def expected_signature(secret_key: str, sdk_date: str, canonical: str) -> str:
    return hmac.new(secret_key.encode("utf-8"), string_to_sign(sdk_date, canonical).encode("utf-8"),
                    hashlib.sha256).hexdigest()


def parse_sdk_date(value: str) -> float:
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        raise SignatureRejected("malformed X-Sdk-Date") from None


def verify_signature(request: SimRequest, secret_for: dict[str, str], now: float) -> str:
    """Return the access key of a validly signed request, else raise :class:`SignatureRejected`."""
    header = parse_authorization(request.header("authorization") or "")
    secret = secret_for.get(header.access_key)
    if secret is None:
        raise SignatureRejected("unknown access key")
    sdk_date = request.header("x-sdk-date")
    if not sdk_date:
        raise SignatureRejected("missing X-Sdk-Date")
    if "x-sdk-date" not in header.signed_headers:
        raise SignatureRejected("X-Sdk-Date is not signed")
    if abs(parse_sdk_date(sdk_date) - now) > MAX_CLOCK_SKEW_SECONDS:
        raise SignatureRejected("X-Sdk-Date is more than 15 minutes off the server time")
    if list(header.signed_headers) != sorted(header.signed_headers):
        raise SignatureRejected("SignedHeaders must be sorted")
    missing = [name for name in header.signed_headers if request.header(name) is None]
    if missing:
        raise SignatureRejected("a signed header is missing from the request")
    wanted = expected_signature(secret, sdk_date, canonical_request(request, header.signed_headers))
    if not hmac.compare_digest(wanted, header.signature.lower()):
        raise SignatureRejected("verify aksk signature fail")
    return header.access_key
