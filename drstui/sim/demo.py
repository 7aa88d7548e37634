"""One-call set-up of an in-process simulator, for ``drstui --demo`` and tests.

    transport, creds = demo_transport(seed=7)                 # wall clock, default world
    async with httpx.AsyncClient(transport=transport, base_url=creds.endpoint) as client: ...

    clock = ManualClock(); transport, creds = demo_transport(clock=clock, faults=["429=0.2"])
    clock.advance(60)            # comparisons progress; transport.core.log shows the requests
"""

from __future__ import annotations

from .clock import Clock, WallClock
from .core import SimCore
from .credentials import SimCredentials
from .faults import FaultPlan
from .transport import SimTransport, Sleeper

__all__ = ["SimCredentials", "demo_transport", "demo_core"]


def demo_core(seed: int = 7, clock: Clock | None = None, jobs: int | None = None,
              faults: FaultPlan | list[str] | None = None, credentials: SimCredentials | None = None,
              tables: int | None = None) -> SimCore:
    return SimCore.create(seed=seed, clock=clock or WallClock(), jobs=jobs, tables=tables,
                          credentials=credentials, faults=faults)


def demo_transport(seed: int = 7, clock: Clock | None = None, jobs: int | None = None,
                   faults: FaultPlan | list[str] | None = None, sleeper: Sleeper | None = None,
                   tables: int | None = None, credentials: SimCredentials | None = None,
                   ) -> tuple[SimTransport, SimCredentials]:
    """A :class:`SimTransport` over a fresh world plus the credentials it accepts.

    ``clock`` defaults to real time (:class:`WallClock`); pass a ``ManualClock`` for tests.
    ``credentials`` (a region and project of their own) make another simulated region.
    ``faults`` is a :class:`FaultPlan` or a list of spec strings (see :mod:`drstui.sim.faults`).
    The transport's core is ``transport.core`` (request log, counters, fault plan, world).
    """
    credentials = credentials or SimCredentials()
    core = demo_core(seed, clock, jobs, faults, credentials, tables)
    return SimTransport(core, sleeper), credentials
