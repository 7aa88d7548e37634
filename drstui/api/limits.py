"""Hard limits on what one call may cost: bytes of answer, bytes of download, wall-clock time.

A server (or anything between us and it) can send an answer that never ends, that drips one
byte at a time, or that inflates a small gzip body into gigabytes. Every answer body is
therefore read through `read_capped` / `capped_chunks`, which decode `Content-Encoding`
themselves in bounded steps and stop as soon as the decoded size passes the limit, and every
call and download runs under a total deadline (`Limits`), whatever the per-read timeouts say.
"""

from __future__ import annotations

import math
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass

import httpx

from .errors import ApiError

MIB = 1024 * 1024
# Inflate at most this much per step, so a bomb costs at most one step over the limit.
_STEP = 256 * 1024
# We only ever ask for these (and so only have to decode these).
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True)
class Limits:
    """Per call: decoded JSON answer size, download size, and total deadlines in seconds."""

    max_answer_bytes: int = 16 * MIB
    max_download_bytes: int = 1024 * MIB
    # An error answer (>= 400) is only read this far: enough for any error message.
    max_error_bytes: int = 64 * 1024
    call_deadline: float = 60.0
    download_deadline: float = 1800.0

    def __post_init__(self) -> None:
        for name in ("max_answer_bytes", "max_download_bytes", "max_error_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive")
        for name in ("call_deadline", "download_deadline"):
            value = getattr(self, name)
            if not (value > 0 and math.isfinite(value)):
                raise ValueError(f"{name} must be a positive number of seconds")


class TooLarge(Exception):
    """The decoded body passed its limit (raised by the readers, turned into ApiError)."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def size_text(size: int) -> str:
    if size >= MIB and size % MIB == 0:
        return f"{size // MIB} MiB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KiB"
    return f"{size} bytes"


def seconds_text(seconds: float) -> str:
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


class _Decoder:
    """Content-Encoding decoding in bounded steps (identity, gzip, deflate)."""

    def __init__(self, encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1:
            raise ValueError(f"answer encoded more than once ({encoding})")
        self.coding = codings[0] if codings else None
        self._raw_deflate_tried = False
        if self.coding in ("gzip", "x-gzip"):
            self._inflate: zlib._Decompress | None = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif self.coding == "deflate":
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS)
        elif self.coding is None:
            self._inflate = None
        else:
            raise ValueError(f"answer encoded as {self.coding!r}, which was not asked for")

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._inflate is None:
            yield data
            return
        while data:
            try:
                out = self._inflate.decompress(data, _STEP)
            except zlib.error:
                if self.coding == "deflate" and not self._raw_deflate_tried:
                    # Some servers send raw deflate without the zlib header.
                    self._raw_deflate_tried = True
                    self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise ValueError("answer's compressed body is corrupt") from None
            self._raw_deflate_tried = True
            data = self._inflate.unconsumed_tail
            if out:
                yield out
            elif not data:
                break

    def flush(self) -> bytes:
        if self._inflate is None:
            return b""
        try:
            return self._inflate.flush()
        except zlib.error:
            raise ValueError("answer's compressed body is corrupt") from None


async def decoded_chunks(response: httpx.Response, limit: int) -> AsyncIterator[bytes]:
    """The decoded body of a streamed response, in pieces; TooLarge once past `limit` bytes.

    A declared Content-Length over the limit fails before anything is read (only for an
    unencoded body: the length of a compressed one says nothing of the decoded size)."""
    if response.is_stream_consumed:
        # Already in memory (an in-process transport hands over whole bodies): just check it.
        if len(response.content) > limit:
            raise TooLarge(limit)
        if response.content:
            yield response.content
        return
    decoder = _Decoder(response.headers.get("Content-Encoding"))
    if decoder.coding is None:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(limit)
    total = 0
    async for raw in response.aiter_raw():
        for piece in decoder.feed(raw):
            total += len(piece)
            if total > limit:
                raise TooLarge(limit)
            yield piece
    rest = decoder.flush()
    if rest:
        total += len(rest)
        if total > limit:
            raise TooLarge(limit)
        yield rest


async def read_capped(response: httpx.Response, limit: int, *, cut: bool = False) -> bytes:
    """The whole decoded body, at most `limit` bytes: TooLarge past it, or with `cut` the first
    `limit` bytes (for error answers, whose start is all that matters)."""
    parts: list[bytes] = []
    size = 0
    try:
        async for piece in decoded_chunks(response, limit):
            parts.append(piece)
            size += len(piece)
    except TooLarge:
        if not cut:
            raise
        # `size` <= limit here; keep what was read, drop the rest unread.
    return b"".join(parts)[:limit]


@dataclass
class Deadline:
    """A point in (monotonic) time by which something must be done."""

    seconds: float
    monotonic: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self.at = self.monotonic() + self.seconds

    def remaining(self) -> float:
        return self.at - self.monotonic()

    @property
    def passed(self) -> bool:
        return self.remaining() <= 0


def deadline_error(what: str, seconds: float, *, method: str | None, path: str | None) -> ApiError:
    return ApiError(f"{what} not complete within {seconds_text(seconds)} (deadline)",
                    kind="timeout", method=method, path=path)


def too_large_error(what: str, limit: int, setting: str, *, status: int | None,
                    method: str | None, path: str | None) -> ApiError:
    return ApiError(f"{what} larger than {size_text(limit)} (limit {setting}); not read further",
                    kind="malformed", status=status, method=method, path=path)
