"""Helpers for API tests: fixture loading, a recording MockTransport, deterministic sessions."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from drstui.api.retry import RetryPolicy
from drstui.api.transport import HttpSession

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
PID = "054ba152d480d55b2f5dc0069e7ddef0"
JOB_A = "94800607-3cd8-4f7d-a340-63a10f8jb502"
BASE = "https://drs.cn-north-4.myhuaweicloud.com"


VECTORS = json.loads((FIXTURES.parent / "signing-vectors.json").read_text())


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(),
                          headers={"Content-Type": "application/json", **(headers or {})})


@dataclass
class Recorder:
    """A MockTransport handler that answers from a queue (or a function) and records requests."""

    responses: list[httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]] = field(
        default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    default: httpx.Response | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self.responses:
            answer = self.responses.pop(0)
        elif self.default is not None:
            answer = self.default
        else:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


@dataclass
class SleepRecorder:
    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_session(recorder: Recorder, policy: RetryPolicy | None = None, *, base: str = BASE,
                 auth: httpx.Auth | None = None, **kwargs) -> HttpSession:
    return HttpSession(base, transport=recorder.transport, auth=auth,
                       retry_policy=policy or RetryPolicy(max_attempts=1), **kwargs)
