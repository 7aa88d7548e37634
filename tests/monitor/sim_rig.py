"""A Monitor wired to the in-process simulator with a manual clock; nothing really sleeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

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


async def no_sleep(_seconds: float) -> None:
    return None


@dataclass
class SimRig:
    monitor: Monitor
    cloud: CloudClient
    transport: SimTransport
    clock: ManualClock
    exports: ExportTracker

    @property
    def core(self):
        return self.transport.core

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), timezone.utc)

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def job_id(self, name: str) -> str:
        return next(job.id for job in self.core.world.project.jobs.values() if job.name == name)

    async def aclose(self) -> None:
        await self.exports.aclose()
        await self.cloud.aclose()


def make_rig(
    tmp_path: Path,
    *,
    jobs: int | None = None,
    faults: list[str] | None = None,
    auth: str = "aksk",
    password: str | None = None,
    client_skew: float = 0.0,
    **monitor_options,
) -> SimRig:
    clock = ManualClock()
    transport, creds = demo_transport(clock=clock, jobs=jobs, faults=faults, sleeper=no_sleep)

    def now() -> datetime:
        return datetime.fromtimestamp(clock.now(), timezone.utc)

    def client_now() -> datetime:  # the client's clock, possibly skewed
        return now() + timedelta(seconds=client_skew)

    endpoints = Endpoints.for_region(creds.region, endpoint=creds.endpoint)
    if auth == "token":
        # The token is scoped by project id: CloudClient(project_id=...) does not set a scope.
        auth_flow = TokenAuth(user=creds.user, password=password or creds.password, domain=creds.domain,
                              project_id=creds.project_id, clock=now)
        project_id = creds.project_id
    else:
        auth_flow = AkSkAuth(creds.ak, creds.sk, clock=client_now)
        project_id = creds.project_id
    cloud = CloudClient(creds.region, auth=auth_flow, project_id=project_id, endpoints=endpoints,
                        transport=transport, retry_policy=RetryPolicy(max_attempts=2, sleep=no_sleep))
    exports = ExportTracker(cloud, tmp_path / "downloads", region=creds.region, now=now)
    monitor = Monitor(cloud, profile="sim", region=creds.region, project_id=creds.project_id, now=now,
                      exports=exports, **monitor_options)
    return SimRig(monitor, cloud, transport, clock, exports)
