"""What the UI needs from the monitor layer, as a protocol, so the UI can be tested with a fake."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from drstui.monitor.errors import MonitorError
from drstui.monitor.snapshot import ObjectDetailRow, Snapshot
from drstui.monitor.transition import Transition

__all__ = ["MonitorError", "MonitorHistory", "MonitorSource"]


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


class MonitorHistory(Protocol):
    """Optional members of a MonitorSource: what it remembers beyond the current Snapshot.

    The UI checks for each one with getattr and does without when a source lacks it (it then
    finds the transitions itself with `changes.transitions`, and shows no trend nor earlier
    events). `Monitor` has them all.
    """

    def transitions_for(self, snapshot: Snapshot) -> Sequence[Transition] | None:
        """The transitions found when this source produced `snapshot` (the ones it wrote to its
        cutover log); None if `snapshot` is not the last one it produced."""
        ...

    def trend_series(self, job_id: str) -> Sequence[int]:
        """One number per fresh refresh this session, oldest first: the job's object count gap
        (sum over object types of |source - target|). Empty when nothing was recorded."""
        ...

    def events(self, limit: int | None = None) -> Sequence[Transition]:
        """Today's cutover log, oldest first (the last `limit`); empty without a log."""
        ...

    def events_path(self) -> Path | None:
        """Where today's transitions are appended (None: no cutover log)."""
        ...

    def events_error(self) -> str | None:
        """Why the cutover log could not be written, if it could not."""
        ...
