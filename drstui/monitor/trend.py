"""Per-job object-type counts over the session, for a small sparkline per job.

Memory is bounded: at most `maxlen` points per job, and jobs that leave the snapshot are
forgotten. A point is only recorded when fresh data arrived (taken_at moved) for that job.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from drstui.monitor.parts import OBJECT_COMPARE, failed_parts
from drstui.monitor.snapshot import JobView, Snapshot


@dataclass(frozen=True)
class TrendPoint:
    at: datetime
    # object type -> (source count, target count)
    counts: dict[str, tuple[int | None, int | None]]

    @property
    def total_difference(self) -> int:
        """Sum of |source - target| over the types: 0 when the object counts all agree."""
        return sum(
            abs(source - target)
            for source, target in self.counts.values()
            if source is not None and target is not None
        )


class TrendHistory:
    def __init__(self, maxlen: int = 120) -> None:
        self.maxlen = maxlen
        self._points: dict[str, deque[TrendPoint]] = {}
        self._last_taken_at: datetime | None = None

    def record(self, snapshot: Snapshot) -> None:
        if snapshot.taken_at is None or snapshot.taken_at == self._last_taken_at:
            return  # a kept (failed) refresh adds no point
        self._last_taken_at = snapshot.taken_at
        present = set()
        for job in snapshot.jobs:
            present.add(job.id)
            point = _point(job, snapshot.taken_at)
            if point is not None:
                self._points.setdefault(job.id, deque(maxlen=self.maxlen)).append(point)
        for gone in set(self._points) - present:
            del self._points[gone]

    def points(self, job_id: str) -> tuple[TrendPoint, ...]:
        return tuple(self._points.get(job_id, ()))

    def series(self, job_id: str, object_type: str, side: str = "target") -> list[int | None]:
        index = 0 if side == "source" else 1
        return [point.counts.get(object_type, (None, None))[index] for point in self._points.get(job_id, ())]

    def difference_series(self, job_id: str) -> list[int]:
        """One number per point (total count difference), the sparkline's input."""
        return [point.total_difference for point in self._points.get(job_id, ())]

    def __len__(self) -> int:
        return sum(len(points) for points in self._points.values())

    @property
    def job_count(self) -> int:
        return len(self._points)


def _point(job: JobView, at: datetime) -> TrendPoint | None:
    comparison = job.object_comparison
    if comparison is None or not comparison.rows or OBJECT_COMPARE in failed_parts(job.problems):
        return None  # nothing fresh to plot for this job
    if not comparison.finished:
        return None  # a running comparison's target counts read 0 until done: not a gap
    return TrendPoint(at, {row.object_type: (row.source_count, row.target_count) for row in comparison.rows})
