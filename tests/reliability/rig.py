"""The whole stack on the in-process simulator, on simulated time: nothing really sleeps.

`ReliabilityRig` assembles what `drstui.wiring.open_session` assembles (CloudClient with the
wiring's request logger → Monitor with an ExportTracker → DrsTuiApp), but with

* one `ManualClock` shared by the simulator, the monitor, the export tracker and the app;
* a retry policy whose sleep *records* each delay and advances the clock by it, and a
  simulator sleeper (latency / hang) that advances the clock too, so "30 s timeout" costs
  30 simulated seconds and 0 real ones;
* `host_skew`: this host's clock minus the API's (AK/SK signing, the monitor and the app all
  read the host clock, as on a real jump host).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.widgets import DataTable

from drstui.api.cloud import CloudClient
from drstui.api.endpoints import Endpoints
from drstui.api.retry import RetryPolicy
from drstui.api.signing import AkSkAuth
from drstui.api.token import TokenAuth
from drstui.monitor.exports import ExportTracker
from drstui.monitor.poller import Monitor
from drstui.sim.clock import ManualClock
from drstui.sim.demo import demo_transport
from drstui.sim.transport import SimTransport
from drstui.wiring import _log_request

# Jobs of the default simulated world (seed 7) that the tests look for on screen.
ORDERS_SYNC = "94800607-3cd8-4f7d-a340-63a10f8jb502"
ORDERS_NAME = "DRS-orders-sync"
JOB_LIST_GLOB = "/v5/*/jobs"
INTERVAL = 5.0
MAX_ATTEMPTS = 3


@dataclass
class ReliabilityRig:
    tmp_path: Path
    auth: str = "aksk"
    password: str | None = None
    jobs: int | None = None
    faults: list[str] | None = None
    max_attempts: int = MAX_ATTEMPTS
    interval: float = INTERVAL
    host_skew: float = 0.0
    wrap_transport: object = None  # callable(SimTransport) -> httpx transport the client uses
    retry_sleeps: list[float] = field(default_factory=list)
    sim_sleeps: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.clock = ManualClock()
        self.transport, self.creds = demo_transport(
            clock=self.clock, jobs=self.jobs, faults=self.faults, sleeper=self._sim_sleep)
        endpoints = Endpoints.for_region(self.creds.region, endpoint=self.creds.endpoint)
        if self.auth == "token":
            flow = TokenAuth(user=self.creds.user, password=self.password or self.creds.password,
                             domain=self.creds.domain, project_id=self.creds.project_id,
                             clock=self.host_now)
        else:
            flow = AkSkAuth(self.creds.ak, self.creds.sk, clock=self.host_now)
        self.policy = RetryPolicy(max_attempts=self.max_attempts, rng=random.Random(0),
                                  sleep=self._retry_sleep)
        self.client_transport = (self.wrap_transport(self.transport) if self.wrap_transport
                                 else self.transport)
        self.cloud = CloudClient(self.creds.region, auth=flow, project_id=self.creds.project_id,
                                 endpoints=endpoints,
                                 transport=self.client_transport,
                                 retry_policy=self.policy, on_request=_log_request)
        self.exports = ExportTracker(self.cloud, self.tmp_path / "downloads",
                                     region=self.creds.region, now=self.host_now)
        self.monitor = Monitor(self.cloud, profile="sim", region=self.creds.region,
                               project_id=self.creds.project_id, interval=self.interval,
                               now=self.host_now, exports=self.exports)

    # -- time ---------------------------------------------------------------------------------
    def api_now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), timezone.utc)

    def host_now(self) -> datetime:
        return self.api_now() + timedelta(seconds=self.host_skew)

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    async def _retry_sleep(self, seconds: float) -> None:
        self.retry_sleeps.append(seconds)
        self.clock.advance(seconds)

    async def _sim_sleep(self, seconds: float) -> None:
        self.sim_sleeps.append(seconds)
        self.clock.advance(seconds)

    # -- the simulator ------------------------------------------------------------------------
    @property
    def core(self):
        return self.transport.core

    def requests(self, path_glob: str | None = None) -> list:
        """Simulator log entries (time, method, path, endpoint, status, faults)."""
        return [e for e in self.core.log if path_glob is None or _glob(e.path, path_glob)]

    def max_per_minute(self, path_glob: str | None = None, since: float | None = None) -> int:
        """Most requests seen in any 60 s window of simulated time (sliding)."""
        times = sorted(e.time for e in self.requests(path_glob) if since is None or e.time >= since)
        best = 0
        start = 0
        for end, t in enumerate(times):
            while t - times[start] >= 60.0:
                start += 1
            best = max(best, end - start + 1)
        return best

    def app(self, **options):
        from drstui.ui.app import DrsTuiApp

        options.setdefault("auto_refresh", False)
        options.setdefault("refresh_seconds", self.interval)
        return DrsTuiApp(self.monitor, profile_label="sim", clock=self.host_now, **options)

    async def aclose(self) -> None:
        await self.exports.aclose()
        await self.cloud.aclose()


def _glob(path: str, pattern: str) -> bool:
    from fnmatch import fnmatchcase

    return fnmatchcase(path, pattern)


# -- reading the screen ------------------------------------------------------------------------
def header_text(app) -> str:
    """What the status line widget renders right now (at its real width)."""
    from drstui.ui.header import StatusLine

    line = app.screen.query_one(StatusLine)
    return line.render().plain


def jobs_table(app) -> DataTable:
    return app.monitor.jobs_pane.table


def jobs_on_screen(app) -> list[str]:
    """The first cell (job name) of every row of the jobs DataTable, as the table holds it."""
    table = jobs_table(app)
    names = []
    for row_key in table.rows:
        cells = table.get_row(row_key)
        names.append(" ".join(str(getattr(c, "plain", c)) for c in cells))
    return names


def any_row_mentions(app, needle: str) -> bool:
    return any(needle in row for row in jobs_on_screen(app))


def snapshot_of(app):
    return app.received


def secrets_in(text: str, secrets: Iterable[str]) -> list[str]:
    return [s for s in secrets if s and s in text]
