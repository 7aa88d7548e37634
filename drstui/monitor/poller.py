"""The Monitor: one refresh -> one immutable Snapshot, built from the DRS API.

Per refresh: the job list (paged by the API layer), then for every job, concurrently under one
bound, its object-compare overview, its data-level comparison list and its health-comparison
list, plus row/value overview+detail for the latest data comparison of each type that is not
finished-and-cached. Finished comparisons never change again, so their tables are cached by
compare id and their detail calls skipped; the cheap list calls still run, to notice new ones.

Failures never escape `refresh()`. Each (job, part) keeps its last good value and says what
failed in `JobView.problems`; a failed job list keeps the whole previous Snapshot, marked
RETRYING then STALE; refused credentials stop all calls until `reset_auth()`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from drstui.api.models.enums import CompareStatus
from drstui.monitor import classify, convert, family, parts, reasons
from drstui.monitor.readiness import DEFAULT_THRESHOLDS, Thresholds, cutover_readiness
from drstui.monitor.replication import ReplicationWatch
from drstui.monitor.changes import Transition, transitions
from drstui.monitor.cutover_log import read_events
from drstui.monitor.differences import DifferenceReader
from drstui.monitor.link import LinkTracker
from drstui.monitor.policy import PolicyReader
from drstui.monitor.snapshot import (
    DataComparison,
    HealthComparison,
    JobView,
    LinkState,
    ObjectComparison,
    ObjectDetailRow,
    Snapshot,
    Verdict,
    utc_now,
)
from drstui.monitor.source import MonitorError

T = TypeVar("T")
log = logging.getLogger("drstui.monitor")

# Row/value comparisons whose tables we read (random sampling has no detail endpoint).
_DETAILED_TYPES = ("lines", "contents")
# Object-detail drill-down: page size and a hard cap so one huge type cannot eat memory.
_DETAIL_PAGE = 1000
_DETAIL_MAX_ROWS = 20_000


@dataclass
class _JobMemory:
    """Last good parts of one job, and what lets us skip calls next time."""

    object_comparison: ObjectComparison | None = None
    data_comparisons: tuple[DataComparison, ...] = ()
    health_comparisons: tuple[HealthComparison, ...] = ()
    finished: dict[str, DataComparison] = field(default_factory=dict)  # compare id -> with tables
    # Databases of each row comparison, so its per-database details can be asked for at the
    # same time as its overview (they do not change during a comparison).
    line_databases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Job status under which nothing about this job can change (see _settled); None: poll it.
    settled_status: str | None = None
    view: JobView | None = None


@dataclass
class _RefreshErrors:
    """What went wrong during one refresh, beyond per-part problems."""

    credential: BaseException | None = None
    retry_after: float | None = None

    def note(self, error: BaseException) -> None:
        if reasons.is_credential_failure(error):
            self.credential = self.credential or error
        retry_after = getattr(error, "retry_after", None)
        if retry_after:
            self.retry_after = max(self.retry_after or 0.0, float(retry_after))


@dataclass
class _JobPass:
    """One job during one refresh: where its answers go and what failed."""

    id: str
    memory: _JobMemory
    errors: _RefreshErrors
    problems: list[str] = field(default_factory=list)

    def failed(self, part: str, error: BaseException) -> None:
        self.errors.note(error)
        self.problems.append(parts.problem(part, reasons.describe(error)))


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
        self._jobs: dict[str, _JobMemory] = {}
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
            try:
                snapshot = await self._refresh()
            except Exception as error:  # a bug below us must not kill the poll loop
                log.exception("refresh failed inside drstui")
                snapshot = self._failed(self._now(), f"internal error: {reasons.describe(error)}", None,
                                        details=reasons.full_detail(error))
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

    def request_refresh(self) -> None:
        """Ask for a refresh now (after an action): calls the hook the UI set."""
        if self.on_refresh_requested is not None:
            self.on_refresh_requested()

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
        return sum(len(memory.finished) for memory in self._jobs.values())

    # -- one refresh ----------------------------------------------------------------------------
    async def _refresh(self) -> Snapshot:
        if self._link.blocked:
            return self._kept()  # credentials refused: no calls until reset_auth()
        errors = _RefreshErrors()
        try:
            raw_jobs = await self._call(self._drs.list_all_jobs)
        except Exception as error:
            errors.note(error)
            if errors.credential is not None:
                return self._auth_failed(self._now(), errors.credential)
            return self._failed_call(error, errors.retry_after)
        raw_jobs, parents = family.flatten(_job_list(raw_jobs))  # children of multi-task jobs
        raw_jobs = [job for job in raw_jobs if self._wanted(job)]
        views = family.nest(await asyncio.gather(*(self._job_view(job, errors) for job in raw_jobs)), parents)
        self._forget_jobs_except({view.id for view in views})
        views = await self.replication.refresh(views, errors.note)
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

    async def _job_view(self, raw_job: Any, errors: _RefreshErrors) -> JobView:
        base = convert.job_base(raw_job)
        memory = self._jobs.setdefault(base.id, _JobMemory())
        if memory.view is not None and memory.settled_status == base.status and not self._exporting(base.id):
            return replace(memory.view, name=base.name)  # nothing can have changed: no calls
        job = _JobPass(base.id, memory, errors)
        await asyncio.gather(self._object_part(job), self._data_part(job), self._health_part(job))
        view = replace(
            base,
            verdict=_job_verdict(memory),
            object_comparison=memory.object_comparison,
            data_comparisons=memory.data_comparisons,
            health_comparisons=memory.health_comparisons,
            problems=tuple(sorted(job.problems)),
        )
        memory.view = view
        memory.settled_status = view.status if _settled(view) else None
        return view

    async def _object_part(self, job: _JobPass) -> None:
        try:
            overview = await self._call(self._drs.object_compare_overview, job.id)
            job.memory.object_comparison = convert.object_comparison(overview)
        except Exception as error:
            if getattr(error, "is_not_found", False):
                # DRS answers "no object-level comparison exists" with 400 DRS.10000010; the job
                # itself exists (it is in the list), so this just means "none yet".
                job.memory.object_comparison = None
                return
            job.failed(parts.OBJECT_COMPARE, error)

    async def _health_part(self, job: _JobPass) -> None:
        try:
            answer = await self._call(self._drs.health_compare_jobs, job.id)
            job.memory.health_comparisons = _newest_first(
                convert.health_comparison(entry) for entry in _items(answer)
            )
        except Exception as error:
            job.failed(parts.HEALTH_COMPARE, error)

    async def _data_part(self, job: _JobPass) -> None:
        try:
            answer = await self._call(self._drs.table_compare_jobs, job.id)
            listed = _newest_first(convert.data_comparison_base(entry) for entry in _items(answer))
        except Exception as error:
            job.failed(parts.DATA_COMPARE_LIST, error)
            return
        memory = job.memory
        previous = {comparison.id: comparison for comparison in memory.data_comparisons}
        latest = _latest_per_type(listed)
        memory.data_comparisons = tuple(
            await asyncio.gather(
                *(self._with_details(job, c, previous.get(c.id), c.id in latest) for c in listed)
            )
        )
        # Bounded caches: only comparisons the API still lists.
        listed_ids = {comparison.id for comparison in listed}
        for cache in (memory.finished, memory.line_databases):
            for gone in set(cache) - listed_ids:
                del cache[gone]

    async def _with_details(
        self, job: _JobPass, comparison: DataComparison, before: DataComparison | None, latest: bool
    ) -> DataComparison:
        cached = job.memory.finished.get(comparison.id)
        if cached is not None:
            return convert.with_export_state(cached, comparison)
        if not latest:
            # Older comparisons show their status only (or what we read while they were latest).
            return convert.with_export_state(before, comparison) if before and before.tables else comparison
        part = parts.ROW_COMPARE if comparison.compare_type == "lines" else parts.VALUE_COMPARE
        try:
            detailed, live = await asyncio.gather(self._read_tables(job, comparison),
                                                  self._live(job.id, comparison, before))
        except Exception as error:
            job.failed(part, error)
            return before or comparison  # last good, or status only
        if live is not None:
            detailed = replace(detailed, live=live)
        if detailed.finished:
            job.memory.finished[comparison.id] = detailed
        return detailed

    async def _read_tables(self, job: _JobPass, comparison: DataComparison) -> DataComparison:
        if comparison.compare_type != "lines":
            overview, detail = await asyncio.gather(
                self._call(self._drs.content_compare_overview, job.id, comparison.id),
                self._call(self._drs.content_compare_detail, job.id, comparison.id),
            )
            tables, progress, inconsistent = convert.content_tables(overview, detail)
            return convert.with_tables(comparison, tables, progress, inconsistent)

        # line-detail rows do not name their database: ask per database. Databases already
        # known are asked for together with the overview (one round trip instead of two).
        known = job.memory.line_databases.get(comparison.id, ())
        overview, *known_details = await asyncio.gather(
            self._call(self._drs.line_compare_overview, job.id, comparison.id),
            *(self._line_detail(job.id, comparison.id, name) for name in known),
        )
        names = tuple(dict.fromkeys(db.source_db for db in overview.rows if db.source_db))
        new_names = [name for name in names if name not in known]
        new_details = await asyncio.gather(*(self._line_detail(job.id, comparison.id, n) for n in new_names))
        by_name = dict(zip(known, known_details)) | dict(zip(new_names, new_details))
        job.memory.line_databases[comparison.id] = names
        tables, progress, inconsistent = convert.line_tables(overview, [(n, by_name[n]) for n in names])
        return convert.with_tables(comparison, tables, progress, inconsistent)

    async def _live(self, job_id: str, comparison: DataComparison, before: DataComparison | None) -> Any:
        """v5 compare-progress of a running comparison; where it is not offered (or fails) the
        last reading stays and nothing is marked stale: the tables are what matters."""
        if comparison.finished:
            return None
        try:
            return convert.compare_live(await self._call(self._drs.compare_progress, job_id, comparison.id))
        except Exception:  # noqa: BLE001 - an optional figure
            return before.live if before is not None else None

    async def _line_detail(self, job_id: str, compare_id: str, db_name: str) -> Any:
        return await self._call(self._drs.line_compare_detail, job_id, compare_id, db_name=db_name)

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

    def _forget_jobs_except(self, present: set[str]) -> None:
        for gone in set(self._jobs) - present:
            del self._jobs[gone]


def _job_list(answer: Any) -> list[Any]:
    """list_all_jobs may return a list of jobs or a JobList."""
    return list(answer) if isinstance(answer, (list, tuple)) else list(answer.jobs)


def _items(answer: Any) -> list[Any]:
    """List answers arrive as models with `.jobs` (or already as lists)."""
    return list(answer) if isinstance(answer, (list, tuple)) else list(answer.jobs)


def _newest_first(comparisons: Iterable[T]) -> tuple[T, ...]:
    epoch = datetime.min.replace(tzinfo=timezone.utc)
    ordered = list(comparisons)
    # Stable sort: equal/missing start times keep the API's order, later-listed first.
    ordered.reverse()
    ordered.sort(key=lambda c: c.start_time or epoch, reverse=True)  # type: ignore[attr-defined]
    return tuple(ordered)


def _latest_per_type(newest_first: tuple[DataComparison, ...]) -> set[str]:
    latest: dict[str, str] = {}
    for comparison in newest_first:
        if comparison.compare_type in _DETAILED_TYPES:
            latest.setdefault(comparison.compare_type, comparison.id)
    return set(latest.values())


# For comparisons whose results we do not read (random sampling, health), only these count.
_STATUS_ONLY_TOLD = (Verdict.FAILED, Verdict.RUNNING)


def _settled(view: JobView) -> bool:
    """Nothing about this job can change while its status stays the same: comparisons can only
    be created while incremental transfer runs (docs/api/drs.md §5.1), and every one it has is finished.
    A job status change (or an export drstui follows) makes it polled again."""
    if view.can_compare or view.problems:
        return False
    comparisons = [view.object_comparison, *view.data_comparisons]
    if not all(c is None or c.finished for c in comparisons):
        return False
    return all(CompareStatus.parse(h.status).is_terminal for h in view.health_comparisons)


def _job_verdict(memory: _JobMemory) -> Verdict:
    """Roll-up of the job's latest comparisons: failed > inconsistent > running > consistent."""
    verdicts: list[Verdict] = []
    if memory.object_comparison is not None:
        verdicts.append(memory.object_comparison.verdict)
    seen_types: set[str] = set()
    for comparison in memory.data_comparisons:  # newest first
        if comparison.compare_type in seen_types:
            continue
        seen_types.add(comparison.compare_type)
        if comparison.compare_type in _DETAILED_TYPES or comparison.verdict in _STATUS_ONLY_TOLD:
            verdicts.append(comparison.verdict)
    if memory.health_comparisons:
        # A health comparison's status says failed/running; its result needs other calls.
        health = classify.status_verdict(memory.health_comparisons[0].status)
        if health in _STATUS_ONLY_TOLD:
            verdicts.append(health)
    return classify.rollup(verdicts)


__all__ = ["Monitor", "MonitorError", "LinkState"]
