"""The Monitor: one refresh -> one immutable Snapshot, built from the DRS API.

Per refresh: the job list (paged by the API layer), then at the same time, under one bound: for
every job its object-compare overview, its data-level comparison list and its health-comparison
list, plus row/value overview+detail for the latest data comparison of each type that is not
finished-and-cached (read by `drstui.monitor.job_reader`); and the replication figures
(`drstui.monitor.replication`: they need only the job list). The readiness verdicts, which need
both, are worked out once both are in. A steady refresh is four round trips deep.

Failures never escape `refresh()`. Each (job, part) keeps its last good value and says what
failed in `JobView.problems`; a failed job list keeps the whole previous Snapshot, marked
RETRYING then STALE; refused credentials stop all calls until `reset_auth()`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from drstui.monitor import convert, family, reasons
from drstui.monitor.readiness import DEFAULT_THRESHOLDS, Thresholds, cutover_readiness
from drstui.monitor.budget import RequestBudget
from drstui.monitor.replication import ReplicationWatch
from drstui.monitor.changes import Transition, transitions
from drstui.monitor.cutover_log import read_events
from drstui.monitor.differences import DifferenceReader
from drstui.monitor.job_reader import JobMemory, JobReader, RefreshErrors
from drstui.monitor.link import LinkTracker
from drstui.monitor.policy import PolicyReader
from drstui.monitor.snapshot import LinkState, ObjectDetailRow, Snapshot, utc_now
from drstui.monitor.source import MonitorError

T = TypeVar("T")
log = logging.getLogger("drstui.monitor")

# Object-detail drill-down: page size and a hard cap so one huge type cannot eat memory.
_DETAIL_PAGE = 1000
_DETAIL_MAX_ROWS = 20_000


class Monitor:
    """`MonitorSource` on a `CloudClient` (anything with a `.drs` exposing the DRS reads).

    The caller owns `cloud` (and closes it). `exports` (an ExportTracker), `cutover_log` and
    `trend` are optional collaborators fed after every refresh.
    """

    def __init__(
        self,
        cloud: Any,
        *,
        profile: str = "",
        region: str = "",
        project_id: str = "",
        interval: float = 5.0,
        max_in_flight: int = 100,
        call_timeout: float = 60.0,
        job_ids: Iterable[str] | None = None,
        now: Callable[[], datetime] = utc_now,
        exports: Any = None,
        cutover_log: Any = None,
        trend: Any = None,
        on_refresh_requested: Callable[[], None] | None = None,
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        cutover_jobs: Iterable[str] | None = None,
        budget: RequestBudget | None = None,
    ) -> None:
        self._cloud = cloud
        self._drs = cloud.drs
        self.differences = DifferenceReader(self._drs)  # row-level differences, on demand
        self.compare_policies = PolicyReader(self._drs, now)  # scheduled comparisons, on demand
        self._now = now
        # The bound keeps sockets and memory in check (the request *rate* is set by the calls per
        # refresh and the interval). 100 = httpx's default pool size, so requests never queue
        # inside httpx (where a long wait becomes a PoolTimeout error), and 50 jobs x 3 list
        # calls fit in two waves.
        self._limit = asyncio.Semaphore(max_in_flight)
        self._call_timeout = call_timeout  # safety net over the API layer's own timeouts
        self._only_jobs = frozenset(job_ids) if job_ids else None
        self._link = LinkTracker(interval)
        self._reader = JobReader(self._drs, call=self._call, exporting=self._exporting)
        self.budget = budget  # counts the requests of each refresh (the client's on_request feeds it)
        self._ask_everything = False  # the next refresh asks about quiet jobs too (after r, an action)
        # Replication figures and the readiness verdicts (drstui.monitor.replication).
        self.replication = ReplicationWatch(
            self._drs, call=self._call, now=now, thresholds=thresholds, cutover_jobs=cutover_jobs
        )
        self._lock = asyncio.Lock()
        self.exports = exports
        if exports is not None and exports.on_change is None:
            exports.on_change = self.request_refresh  # show a finished download promptly
        self.cutover_log = cutover_log
        self.trend = trend
        self.on_refresh_requested = on_refresh_requested
        self.snapshot = Snapshot(
            profile=profile,
            region=region,
            project_id=project_id,
            connection=self._link.connection(),
        )
        self.last_transitions: list[Transition] = []

    # -- MonitorSource --------------------------------------------------------------------------
    async def refresh(self) -> Snapshot:
        """Fetch everything once; never raises (see the module docstring)."""
        async with self._lock:
            if self.budget is not None:
                self.budget.refresh_started()
            try:
                snapshot = await self._refresh()
            except Exception as error:  # a bug below us must not kill the poll loop
                log.exception("refresh failed inside drstui")
                snapshot = self._failed(self._now(), f"internal error: {reasons.describe(error)}", None,
                                        details=reasons.full_detail(error))
            if self.budget is not None:
                self.budget.refresh_finished()
            return self._publish(snapshot)

    async def object_detail(
        self, job_id: str, object_type: str, compare_job_id: str | None
    ) -> tuple[ObjectDetailRow, ...]:
        if self._link.blocked:
            raise MonitorError(f"not loaded: {self._link.reason}")
        job = self.snapshot.job(job_id)
        name = job.name if job else job_id
        rows: list[Any] = []
        try:
            while len(rows) < _DETAIL_MAX_ROWS:
                page = await self._call(
                    self._drs.object_compare_detail,
                    job_id,
                    object_type,
                    compare_job_id=compare_job_id,
                    limit=_DETAIL_PAGE,
                    offset=len(rows),
                )
                rows.extend(page.rows)
                if not page.rows or len(page.rows) < _DETAIL_PAGE or len(rows) >= (page.count or 0):
                    break
        except Exception as error:
            raise MonitorError(
                f"{object_type} objects of {name} could not be loaded: {reasons.describe(error)}"
            ) from None
        return convert.object_detail_rows(rows)

    # -- MonitorHistory (optional members the UI uses when present) -----------------------------
    def transitions_for(self, snapshot: Snapshot) -> list[Transition] | None:
        """What the last refresh found (and logged), if `snapshot` is what it returned."""
        return self.last_transitions if snapshot is self.snapshot else None

    def trend_series(self, job_id: str) -> list[int]:
        return self.trend.difference_series(job_id) if self.trend is not None else []

    def events(self, limit: int | None = None) -> list[Transition]:
        path = self.events_path()
        return read_events(path, limit) if path is not None else []

    def events_path(self) -> Path | None:
        return self.cutover_log.path_for(self._now()) if self.cutover_log is not None else None

    def events_error(self) -> str | None:
        return getattr(self.cutover_log, "last_error", None)

    # -- scheduling -----------------------------------------------------------------------------
    def next_delay(self) -> float:
        """Seconds before the UI should start the next refresh (backoff after failures)."""
        return self._link.next_delay()

    def budget_interval(self) -> float:
        """Seconds between refreshes that keep the last refreshes' requests (this scope's and
        those of the scopes sharing its account) within the budget."""
        if self.budget is None:
            return 0.0
        return self.budget.min_interval()

    def request_refresh(self) -> None:
        """Ask for a refresh now (after an action): calls the hook the UI set. That refresh asks
        about every job, quiet ones included: the action may have started a comparison."""
        self._ask_everything = True
        if self.on_refresh_requested is not None:
            self.on_refresh_requested()

    def ask_about_everything_next(self) -> None:
        """The user asked for fresh data (r): the next refresh asks about quiet jobs too."""
        self._ask_everything = True

    def reset_auth(self) -> None:
        """The user fixed the credentials or the clock: allow calls again.

        Also clears the remembered login failure of the API layer's token auth, which
        otherwise refuses to ask IAM again (to avoid locking the account)."""
        self._link.reset()
        auth = getattr(self._cloud, "auth", None)
        reset = getattr(self._cloud, "reset_auth", None) or getattr(auth, "reset", None)
        if callable(reset):
            reset()
        self.snapshot = replace(self.snapshot, connection=self._link.connection())

    @property
    def interval(self) -> float:
        return self._link.interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        self._link.interval = seconds

    @property
    def cached_comparisons(self) -> int:
        """Finished comparisons held in the cache (for tests and the soak check)."""
        return self._reader.cached_comparisons

    @property
    def _jobs(self) -> dict[str, JobMemory]:
        """What is remembered per listed job (the soak check counts it)."""
        return self._reader.memory

    # -- one refresh ----------------------------------------------------------------------------
    async def _refresh(self) -> Snapshot:
        if self._link.blocked:
            return self._kept()  # credentials refused: no calls until reset_auth()
        errors = RefreshErrors()
        try:
            raw_jobs = await self._call(self._drs.list_all_jobs)
        except Exception as error:
            errors.note(error)
            if errors.credential is not None:
                return self._auth_failed(self._now(), errors.credential)
            return self._failed_call(error, errors.retry_after)
        raw_jobs, parents = family.flatten(_job_list(raw_jobs))  # children of multi-task jobs
        raw_jobs = [job for job in raw_jobs if self._wanted(job)]
        everything, self._ask_everything = self._ask_everything, False
        started = self._now()
        bases = [convert.job_base(job) for job in raw_jobs]
        # Comparisons and replication figures at the same time: both need only the job list.
        comparisons = asyncio.gather(
            *(self._reader.read(base, errors, now=started, everything=everything) for base in bases))
        read_views, reading = await asyncio.gather(comparisons, self.replication.read(bases, errors.note))
        views = family.nest(read_views, parents)
        self._reader.forget_except({view.id for view in views})
        views = self.replication.apply(views, reading)
        if errors.credential is not None:
            return self._auth_failed(self._now(), errors.credential)
        taken_at = self._now()
        self._link.succeeded(taken_at, errors.retry_after)
        return replace(
            self.snapshot,
            connection=self._link.connection(),
            taken_at=taken_at,
            jobs=tuple(views),
            readiness=cutover_readiness(views, self.replication.cutover_jobs),
        )

    def _exporting(self, job_id: str) -> bool:
        """An export drstui follows needs this job's export_status, settled or not."""
        return self.exports is not None and job_id in self.exports.jobs_in_flight()

    # -- outcomes -------------------------------------------------------------------------------
    def _failed(
        self, at: datetime, reason: str, retry_after: float | None, *,
        host: str | None = None, details: tuple[str, ...] = (),
    ) -> Snapshot:
        self._link.failed(at, reason, retry_after, host=host, details=details)
        return self._kept()

    def _failed_call(self, error: BaseException, retry_after: float | None) -> Snapshot:
        """The job list did not answer: say which endpoint and why, on screen and in the log."""
        details = reasons.full_detail(error)
        log.warning("refresh failed (%d in a row): %s", self._link.failures + 1, "; ".join(details))
        return self._failed(self._now(), reasons.failure(error), retry_after,
                            host=reasons.where(error), details=details)

    def _auth_failed(self, at: datetime, error: BaseException) -> Snapshot:
        if reasons.is_clock_skew(error):
            reason = reasons.describe_skew(reasons.clock_offset_seconds(error, at))
        else:
            host = reasons.where(error)
            reason = f"credentials refused{f' by {host}' if host else ''}: {reasons.describe(error)}"
        details = reasons.full_detail(error)
        if self._link.state != LinkState.AUTH_FAILED:
            log.warning("credentials refused, no more calls until r: %s", "; ".join(details))
        self._link.auth_failed(at, reason, host=reasons.where(error), details=details)
        return self._kept()

    def _kept(self) -> Snapshot:
        """The previous Snapshot (jobs and taken_at unchanged) with the current link state."""
        return replace(self.snapshot, connection=self._link.connection())

    def _publish(self, snapshot: Snapshot) -> Snapshot:
        """Stamp sequence and exports, feed the collaborators, remember it."""
        fresh = snapshot.connection.state == LinkState.OK  # otherwise the jobs are the kept ones
        if self.exports is not None:
            if fresh:
                self.exports.observe(snapshot.jobs)
            snapshot = replace(snapshot, exports=self.exports.records())
        snapshot = replace(snapshot, sequence=self.snapshot.sequence + 1)
        # The first comparison is against the empty start snapshot: no job transitions (there
        # is no "before"), but a first refresh that fails is told.
        self.last_transitions = transitions(self.snapshot, snapshot)
        if self.trend is not None and fresh:
            self.trend.record(snapshot)
        if self.cutover_log is not None and self.last_transitions:
            self.cutover_log.append(self.last_transitions)
        self.snapshot = snapshot
        return snapshot

    # -- helpers --------------------------------------------------------------------------------
    async def _call(self, method: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        async with self._limit:
            return await asyncio.wait_for(method(*args, **kwargs), self._call_timeout)

    def _wanted(self, job: Any) -> bool:
        return self._only_jobs is None or getattr(job, "id", None) in self._only_jobs


def _job_list(answer: Any) -> list[Any]:
    """list_all_jobs may return a list of jobs or a JobList."""
    return list(answer) if isinstance(answer, (list, tuple)) else list(answer.jobs)


__all__ = ["Monitor", "MonitorError", "LinkState"]
