"""A failed refresh says which endpoint failed and why, once, in words; the log keeps the rest."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import httpx
import pytest

from drstui.api.errors import ApiError
from drstui.api.transport import HttpSession
from drstui.monitor import reasons
from drstui.monitor.link import LinkTracker
from drstui.monitor.snapshot import LinkState

T0 = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)


def _refusing(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("All connection attempts failed", request=request)


async def test_a_refused_connection_names_the_host_once_and_in_words() -> None:
    session = HttpSession("https://drs.cn-north-4.example.test:8443", transport=httpx.MockTransport(_refusing))
    with pytest.raises(ApiError) as caught:
        await session.request_json("GET", "/v5/p/jobs")
    await session.aclose()
    error = caught.value
    assert error.host == "drs.cn-north-4.example.test:8443"
    assert reasons.failure(error) == "drs.cn-north-4.example.test:8443: connection refused"
    details = reasons.full_detail(error)
    assert "endpoint: drs.cn-north-4.example.test:8443" in details
    assert "request: GET /v5/p/jobs" in details
    assert any(line.startswith("exception: ApiError: connection failed: All connection") for line in details)


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("connection failed: [Errno 111] Connection refused", "connection refused"),
        ("connection failed: [Errno -2] Name or service not known", "host name not found"),
        ("connection failed: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", "TLS handshake failed (certificate not trusted?)"),
        ("connection failed: [Errno 101] Network is unreachable", "network unreachable"),
        ("connection failed: Server disconnected without sending a response.", "connection dropped"),
        ("connection failed: something new", "cannot connect: something new"),
    ],
)
def test_transport_failures_in_words_without_a_doubled_prefix(message: str, words: str) -> None:
    assert reasons.describe(ApiError(message, kind="connect")) == words


def test_a_timeout_says_which_phase() -> None:
    error = ApiError("no answer in time (read timeout)", kind="timeout")
    assert reasons.describe(error) == "read timeout: no answer in time"


def test_the_connection_carries_host_details_last_success_and_next_retry() -> None:
    link = LinkTracker(5.0)
    link.succeeded(T0)
    later = T0.replace(minute=31)
    link.failed(later, "h: connection refused", host="h", details=("endpoint: h",))
    link.failed(later, "h: connection refused", host="h", details=("endpoint: h",))
    connection = link.connection()
    assert connection.state is LinkState.STALE
    assert connection.host == "h" and connection.details == ("endpoint: h",)
    assert connection.last_success == T0 and connection.failures == 2
    assert connection.next_retry_at is not None and connection.next_retry_at > later
    link.succeeded(later)
    assert link.connection().host is None and link.connection().details == ()


async def test_the_log_records_the_host_and_the_exception(caplog: pytest.LogCaptureFixture) -> None:
    from drstui.monitor.poller import Monitor

    class Drs:
        async def list_all_jobs(self):  # type: ignore[no-untyped-def]
            error = ApiError("connection failed: All connection attempts failed", kind="connect",
                             method="GET", path="/v5/p/jobs")
            error.host = "drs.example.test"
            raise error

    class Cloud:
        drs = Drs()

    monitor = Monitor(Cloud(), now=lambda: T0)
    with caplog.at_level(logging.WARNING, logger="drstui.monitor"):
        snapshot = await monitor.refresh()
    assert snapshot.connection.reason == "drs.example.test: connection refused"
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "endpoint: drs.example.test" in logged
    assert "ApiError: connection failed: All connection attempts failed" in logged
