"""One job per refresh: its object, data and health comparisons, read with what it remembers.

Finished comparisons never change again, so their tables are cached by compare id and their
detail calls skipped; the cheap list calls still run, to notice new ones. A job whose status
says nothing can change (`_settled`) costs no calls at all. Each failed part keeps its last
good value and is named in `JobView.problems`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, TypeVar

from drstui.api.models.enums import CompareStatus
from drstui.monitor import classify, convert, parts, reasons
from drstui.monitor.snapshot import DataComparison, HealthComparison, JobView, ObjectComparison, Verdict

T = TypeVar("T")

# Row/value comparisons whose tables we read (random sampling has no detail endpoint).
_DETAILED_TYPES = ("lines", "contents")


# A job whose comparisons have all finished changes only when someone starts a new one: its
# comparison lists are asked for at most this often. The job list, read every refresh, still
# shows a status change at once, and an action drstui sends (or r) asks about every job again.
# For 20 such jobs an idle refresh went from ~60 requests to ~30 (the rest: job list, lag figures).
QUIET_JOB_SECONDS = 30.0


@dataclass
class JobMemory:
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
    # Job status under which the job is quiet (see _quiet): read every QUIET_JOB_SECONDS.
    quiet_status: str | None = None
    read_at: datetime | None = None
    view: JobView | None = None


@dataclass
class RefreshErrors:
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
    memory: JobMemory
    errors: RefreshErrors
    problems: list[str] = field(default_factory=list)

    def failed(self, part: str, error: BaseException) -> None:
        self.errors.note(error)
        self.problems.append(parts.problem(part, reasons.describe(error)))


class JobReader:
    """Reads each listed job's comparisons through `call` (the Monitor's bounded, timed call);
    `exporting(job_id)` says whether a followed export needs the job polled although settled."""

    def __init__(
        self,
        drs: Any,
        *,
        call: Callable[..., Awaitable[Any]],
        exporting: Callable[[str], bool],
    ) -> None:
        self._drs = drs
        self._call = call
        self._exporting = exporting
        self.memory: dict[str, JobMemory] = {}

    def forget_except(self, present: set[str]) -> None:
        """Drop the memory of jobs no longer listed."""
        for gone in set(self.memory) - present:
            del self.memory[gone]

    @property
    def cached_comparisons(self) -> int:
        return sum(len(memory.finished) for memory in self.memory.values())

    async def read(self, base: JobView, errors: RefreshErrors, *, now: datetime, everything: bool = False) -> JobView:
        """The job's view, from its job-list fields (`convert.job_base`); its comparisons are
        asked for unless it is settled, or quiet and read less than QUIET_JOB_SECONDS ago
        (`everything`: ask about quiet jobs too)."""
        memory = self.memory.setdefault(base.id, JobMemory())
        if memory.view is not None and not self._exporting(base.id):
            if memory.settled_status == base.status:
                return replace(memory.view, name=base.name)  # nothing can have changed: no calls
            if (not everything and memory.quiet_status == base.status and memory.read_at is not None
                    and (now - memory.read_at).total_seconds() < QUIET_JOB_SECONDS):
                return replace(memory.view, name=base.name)  # quiet: asked about again soon
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
        memory.quiet_status = view.status if _quiet(view) else None
        memory.read_at = now
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
    return not view.can_compare and _quiet(view)


def _quiet(view: JobView) -> bool:
    """Every comparison of this job has finished and its last reading had no problems: only a
    new comparison (or a status change, seen in the job list) can change it."""
    if view.problems:
        return False
    comparisons = [view.object_comparison, *view.data_comparisons]
    if not all(c is None or c.finished for c in comparisons):
        return False
    return all(CompareStatus.parse(h.status).is_terminal for h in view.health_comparisons)


def _job_verdict(memory: JobMemory) -> Verdict:
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
