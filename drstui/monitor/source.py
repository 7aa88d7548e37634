"""What the UI needs from the monitor layer, as a protocol, so the UI can be tested with a fake."""

from __future__ import annotations

from typing import Protocol

from drstui.monitor.snapshot import ObjectDetailRow, Snapshot


class MonitorError(Exception):
    """A one-line, secret-free explanation of why something could not be loaded."""


class MonitorSource(Protocol):
    async def refresh(self) -> Snapshot:
        """Fetch everything once and return the new Snapshot.

        Never raises: failures are reported in Snapshot.connection / JobView.problems, and the
        last good data is kept. Calls never overlap (the caller waits for one to finish).
        """
        ...

    async def object_detail(
        self, job_id: str, object_type: str, compare_job_id: str | None
    ) -> tuple[ObjectDetailRow, ...]:
        """The objects of one type in an object-level comparison (drill-down).

        Raises MonitorError with a clear message on failure.
        """
        ...
