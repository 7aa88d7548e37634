"""Replication figures per job and refresh: lag, links, progress, RPO/RTO, DDL alarms.

`ReplicationWatch.read(views)` reads, per refresh (the monitor runs it beside the comparison
reads; `apply(views, reading)` then puts the figures and verdicts on the finished views):

- progress and lag of every listed job in batch calls (`batch-progress`, at most
  PROGRESS_BATCH_MAX ids each, sent together: O(jobs / batch) requests in one round trip); a
  job the batch answer leaves out (or every job, when the batch call itself fails) falls back
  to its v5 detail `type=progress`, only for the jobs of the cutover set that replicate
  incrementally;
- for those same jobs (the API has no batch form): monitor data (source/target lag, link health,
  update time) every refresh, and the count of alarming DDLs at most every `ddl_every` seconds;
- RPO/RTO of the disaster-recovery jobs among them, in batch calls.

It keeps the last good figures of each part (a failed part keeps them and says so in
`Replication.problems`), tracks whether DRS's update time still moves (a figure that stands
still for `stale_after` is *stale*), the lag against `max_lag` (over / under / unknown, since
when, what it was before, and the side it settled on: held for SETTLE_READS reads), and a short
lag history for the trend. Then each job of the cutover set gets its readiness verdict
(`drstui.monitor.readiness`).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from drstui.monitor import reasons
from drstui.monitor.readiness import (
    INCREMENTAL_STATUS,
    OVER,
    UNDER,
    UNKNOWN,
    DEFAULT_THRESHOLDS,
    Thresholds,
    job_readiness,
)
from drstui.monitor.snapshot import JobView, LagPoint, Replication

DR_JOB_TYPE = "cloudDataGuard"  # job_type of disaster-recovery jobs (the ones with RPO/RTO)
HISTORY_POINTS = 60  # lag readings kept per job for the trend
DDL_EVERY = 60.0  # seconds between two reads of a job's DDL alarms
# A lag crossing is told (alert, bell, cutover log) once it holds for this many reads in a row:
# a one-read blip over max_lag (a batch load on the source) shows in the table and the verdict,
# but does not ring the bell twice in five seconds.
SETTLE_READS = 2

Call = Callable[..., Awaitable[Any]]


@dataclass
class Reading:
    """What one refresh's reads found beyond the tracks: when, and each job's failed parts."""

    now: datetime
    problems: dict[str, list[str]]


@dataclass
class _Track:
    """What the watch remembers of one job between refreshes."""

    progress: Any = None  # last good ReplicationProgress
    monitor: Any = None  # last good MonitorData
    rpo_rto: Any = None  # last good JobRpoRto
    ddl_alarms: int | None = None
    ddl_read_at: datetime | None = None
    figure_time: datetime | None = None  # DRS's update time of the figures, as last seen
    figure_seen_at: datetime | None = None  # when (our clock) it last moved
    lag_state: str | None = None
    lag_state_since: datetime | None = None
    lag_before: str | None = None
    lag_reads: int = 0  # reads in a row that found lag_state
    lag_settled: str | None = None  # over / under, once it held for SETTLE_READS reads in a row
    history: deque[LagPoint] = field(default_factory=lambda: deque(maxlen=HISTORY_POINTS))


class ReplicationWatch:
    """Reads and tracks replication figures; see the module docstring.

    `call(method, *args)` runs one API call (the monitor's bound and timeout); `note(error)` is
    told of every failed call (so refused credentials stop the monitor)."""

    def __init__(
        self,
        drs: Any,
        *,
        call: Callable[..., Awaitable[Any]],
        now: Callable[[], datetime],
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        cutover_jobs: Iterable[str] | None = None,
        ddl_every: float = DDL_EVERY,
    ) -> None:
        self._drs = drs
        self._call = call
        self._now = now
        self.thresholds = thresholds
        self.cutover_jobs: tuple[str, ...] | None = tuple(dict.fromkeys(cutover_jobs)) if cutover_jobs else None
        self._ddl_every = ddl_every
        self._tracks: dict[str, _Track] = {}

    # -- which jobs -----------------------------------------------------------------------------
    def in_set(self, job_id: str) -> bool:
        return self.cutover_jobs is None or job_id in self.cutover_jobs

    def _watched(self, view: JobView) -> bool:
        """Jobs whose links, DDLs and RPO/RTO are read: in the set and replicating."""
        return self.in_set(view.id) and view.status == INCREMENTAL_STATUS

    # -- one refresh ----------------------------------------------------------------------------
    async def refresh(self, views: Iterable[JobView], note: Callable[[BaseException], None]) -> list[JobView]:
        """`read` then `apply`, for callers that have the jobs' comparisons already."""
        views = list(views)
        return self.apply(views, await self.read(views, note))

    async def read(self, views: Iterable[JobView], note: Callable[[BaseException], None]) -> Reading:
        """Ask for this refresh's figures. Needs only each job's id, status and type (the job
        list's), so the monitor runs it at the same time as the comparison reads."""
        views = list(views)
        reading = Reading(self._now(), {view.id: [] for view in views})
        if not views:
            self._tracks.clear()
            return reading
        for gone in set(self._tracks) - {view.id for view in views}:
            del self._tracks[gone]
        tracks = {view.id: self._tracks.setdefault(view.id, _Track()) for view in views}
        problems = reading.problems
        watched = [view for view in views if self._watched(view)]
        now = reading.now

        def failed(job_id: str, part: str, error: BaseException) -> None:
            note(error)
            problems[job_id].append(f"{part}: {reasons.describe(error)}")

        # Progress (and its per-job fallback) beside the per-job reads: one round trip for all.
        await asyncio.gather(
            self._read_progress(views, watched, tracks, failed, problems),
            *(self._read_monitor(view.id, tracks[view.id], failed) for view in watched),
            *(self._read_ddls(view.id, tracks[view.id], now, failed) for view in watched
              if _due(tracks[view.id].ddl_read_at, now, self._ddl_every)),
            self._read_rpo_rto([v for v in watched if v.job_type == DR_JOB_TYPE], tracks, failed),
        )
        return reading

    def apply(self, views: Iterable[JobView], reading: Reading) -> list[JobView]:
        """The views with their replication figures and (in the cutover set) readiness."""
        out = []
        for view in views:
            track = self._tracks.setdefault(view.id, _Track())
            replication = self._figures(view, track, reading.now, reading.problems.setdefault(view.id, []))
            view = replace(view, replication=replication)
            if self.in_set(view.id):
                view = replace(view, readiness=job_readiness(view, self.thresholds, reading.now))
            out.append(view)
        return out

    async def _read_progress(self, views, watched, tracks, failed, problems) -> None:  # type: ignore[no-untyped-def]
        fallback: list[str] = []
        try:
            answers = await self._call(self._drs.batch_progress, [view.id for view in views])
        except Exception as error:
            if reasons.is_credential_failure(error):
                failed(views[0].id, "progress", error)
                return
            for view in views:
                problems[view.id].append(f"progress: {reasons.describe(error)}")
            fallback = [view.id for view in watched]
        else:
            by_id = {answer.job_id: answer for answer in answers if answer.job_id}
            for view in views:
                answer = by_id.get(view.id)
                if answer is None:
                    if view in watched:
                        fallback.append(view.id)
                elif answer.error_code:
                    problems[view.id].append(f"progress: {answer.error_code} {answer.error_msg or ''}".strip())
                else:
                    tracks[view.id].progress = answer
        if fallback:
            await asyncio.gather(*(self._fallback_progress(job_id, tracks[job_id], failed, problems)
                                   for job_id in fallback))

    async def _fallback_progress(self, job_id, track, failed, problems) -> None:  # type: ignore[no-untyped-def]
        try:
            answer = await self._call(self._drs.job_progress, job_id)
        except Exception as error:
            failed(job_id, "progress", error)
            return
        if answer is not None:
            track.progress = answer
            problems[job_id][:] = [p for p in problems[job_id] if not p.startswith("progress:")]

    async def _read_monitor(self, job_id: str, track: _Track, failed) -> None:  # type: ignore[no-untyped-def]
        try:
            track.monitor = await self._call(self._drs.monitor_data, job_id)
        except Exception as error:
            failed(job_id, "monitor data", error)

    async def _read_ddls(self, job_id: str, track: _Track, now: datetime, failed) -> None:  # type: ignore[no-untyped-def]
        try:
            answer = await self._call(self._drs.job_ddls, job_id, alarming_only=True, limit=1)
        except Exception as error:
            failed(job_id, "DDL alarms", error)
            return
        track.ddl_alarms = answer.count if answer.count is not None else sum(1 for a in answer.alarms if a.alarming)
        track.ddl_read_at = now

    async def _read_rpo_rto(self, jobs: list[JobView], tracks: dict[str, _Track], failed) -> None:  # type: ignore[no-untyped-def]
        if not jobs:
            return
        try:
            answers = await self._call(self._drs.batch_rpo_rto, [job.id for job in jobs])
        except Exception as error:
            for job in jobs:
                failed(job.id, "RPO/RTO", error)
            return
        for answer in answers:
            if answer.job_id in tracks and not answer.error_code:
                tracks[answer.job_id].rpo_rto = answer

    # -- figures and tracking -------------------------------------------------------------------
    def _figures(self, view: JobView, track: _Track, now: datetime, problems: list[str]) -> Replication:
        progress, monitor = track.progress, track.monitor
        watched = self._watched(view)
        if not watched:
            monitor = None  # links and split lags are only read for the watched jobs
        source = monitor.source_lag_ms if monitor is not None else None
        target = monitor.target_lag_ms if monitor is not None else None
        lag = progress.delay_ms if progress is not None else None
        if lag is None and source is not None and target is not None:
            lag = source + target
        if monitor is not None and monitor.update_time is not None:
            updated = monitor.update_time
        else:
            updated = progress.process_time if progress is not None else None
        stale_for = self._stale_for(track, updated, now)
        stale = stale_for is not None and stale_for >= self.thresholds.stale_after
        if view.status != INCREMENTAL_STATUS:
            lag = source = target = None  # no incremental lag outside incremental replication
        state = UNKNOWN if stale or lag is None else OVER if lag > self.thresholds.max_lag_ms else UNDER
        if state != track.lag_state:
            track.lag_before, track.lag_state, track.lag_state_since = track.lag_state, state, now
            track.lag_reads = 0
        track.lag_reads += 1
        if state != UNKNOWN and track.lag_reads >= SETTLE_READS:
            track.lag_settled = state
        track.history.append(LagPoint(now, None if stale else lag))
        rpo = track.rpo_rto.rpo if track.rpo_rto is not None and watched else None
        rto = track.rpo_rto.rto if track.rpo_rto is not None and watched else None
        if watched and updated is None and lag is not None:
            problems.append("lag update time not known")
        return Replication(
            lag_ms=lag,
            source_lag_ms=source,
            target_lag_ms=target,
            progress_percent=progress.progress_percent if progress is not None else None,
            remaining_seconds=progress.remaining_seconds if progress is not None else None,
            source_ok=monitor.is_src_normal if monitor is not None else None,
            target_ok=monitor.is_dst_normal if monitor is not None else None,
            updated_at=updated,
            stale=stale,
            stale_for_seconds=stale_for if stale else None,
            incremental=progress.incremental if progress is not None else None,
            transfer_status=progress.transfer_status if progress is not None else None,
            rpo_seconds=rpo.delay_seconds if rpo is not None else None,
            rto_seconds=rto.delay_seconds if rto is not None else None,
            ddl_alarms=track.ddl_alarms if watched else None,
            lag_state=track.lag_state,
            lag_state_since=track.lag_state_since,
            lag_before=track.lag_before,
            lag_settled=track.lag_settled,
            history=tuple(track.history),
            problems=tuple(problems),
        )

    @staticmethod
    def _stale_for(track: _Track, updated: datetime | None, now: datetime) -> float | None:
        """Seconds DRS's update time has stood still, as watched by us (None: not known)."""
        if updated is None:
            track.figure_time = track.figure_seen_at = None
            return None
        if updated != track.figure_time:
            track.figure_time, track.figure_seen_at = updated, now
        assert track.figure_seen_at is not None
        return max(0.0, (now - track.figure_seen_at).total_seconds())


def _due(last: datetime | None, now: datetime, every: float) -> bool:
    return last is None or (now - last).total_seconds() >= every
