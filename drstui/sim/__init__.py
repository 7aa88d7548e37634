"""drstui's embedded DRS / SMS / IAM simulator.

* :mod:`.core` — ``SimCore.handle(SimRequest) -> SimResponse`` (routing, auth, rules, faults, log)
* :mod:`.world` — the state (jobs, comparisons, exports, SMS tasks) computed lazily from a clock
* :mod:`.clock` — ``ManualClock`` (tests) and ``WallClock`` (demo / server)
* :mod:`.transport` — ``SimTransport`` (httpx, in-process); :mod:`.server` — loopback HTTP
* :mod:`.faults` — ``FaultPlan`` and the fault spec grammar; :mod:`.cli` — ``drstui sim``
* :mod:`.demo` — ``demo_transport()`` and :class:`SimCredentials`
"""

from .clock import ManualClock, WallClock
from .core import SimCore
from .credentials import SimCredentials
from .faults import FaultPlan, FaultSpecError
from .messages import SimRequest, SimResponse
from .transport import SimTransport

__all__ = ["ManualClock", "WallClock", "SimCore", "SimCredentials", "FaultPlan", "FaultSpecError", "SimRequest",
           "SimResponse", "SimTransport"]
