"""The Snapshot: everything the screen shows, as plain immutable data.

The poller builds one Snapshot per refresh from API answers; the UI only renders Snapshots.
Nothing here knows HTTP or widgets, so both sides can be tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum

from drstui.api.models.enums import CompareStatus, JobStatusValue
from drstui.monitor.scope import Scope, scoped_key


def utc_now() -> datetime:
    """The monitor's default clock (tests inject their own)."""
    return datetime.now(timezone.utc)


class Verdict(StrEnum):
    """What a glance at one comparison (or a whole job) must answer."""

    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    RUNNING = "running"
    FAILED = "failed"
    NONE = "none"  # no comparison yet
    UNKNOWN = "unknown"  # an answer we could not classify (kept, shown as-is)


class TypeResult(StrEnum):
    """Per-object-type / per-table result, from the API's integer or string enums."""

    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    INCOMPLETE = "incomplete"  # comparison not finished (int 3)
    UNKNOWN = "unknown"


class LinkState(StrEnum):
    CONNECTING = "connecting"  # no answer yet
    OK = "ok"
    RETRYING = "retrying"  # last refresh failed, backing off, data shown is the last good one
    STALE = "stale"  # failing for longer than a refresh or two: data is old
    AUTH_FAILED = "auth-failed"  # credentials refused: we stop retrying until the user acts




@dataclass(frozen=True)
class ObjectTypeRow:
    """One object type of an object-level comparison: counts on both sides and the result."""

    object_type: str
    source_count: int | None
    target_count: int | None
    result: TypeResult

    @property
    def difference(self) -> int | None:
        if self.source_count is None or self.target_count is None:
            return None
        return self.source_count - self.target_count


@dataclass(frozen=True)
class ObjectComparison:
    """The latest object-level comparison of a job (GET .../object/compare)."""

    compare_job_id: str
    status: str  # raw compare-task status, docs/api/drs.md §4.1 (unknown values kept)
    verdict: Verdict
    create_time: datetime | None = None
    start_time: datetime | None = None
    export_status: str | None = None
    report_remain_seconds: int | None = None
    error_msg: str | None = None
    rows: tuple[ObjectTypeRow, ...] = ()

    @property
    def finished(self) -> bool:
        return CompareStatus.parse(self.status).is_terminal


@dataclass(frozen=True)
class ObjectDetailRow:
    """One object inside an object type (drill-down, GET .../object/compare/{type})."""

    source_name: str | None
    target_name: str | None
    source_value: str | None
    target_value: str | None
    result: TypeResult
    error_message: str | None = None


@dataclass(frozen=True)
class TableRow:
    """Row-count (lines) or value (contents) comparison result for one table."""

    source_db: str | None
    source_table: str | None
    target_db: str | None
    target_table: str | None
    source_rows: int | None
    target_rows: int | None
    diff_rows: int | None
    status_code: int | None  # docs/api/drs.md §4.6
    status_text: str
    result: TypeResult

    @property
    def key(self) -> str:
        return f"{self.source_db}.{self.source_table}"


@dataclass(frozen=True)
class CompareLive:
    """A running comparison's own progress (v5 compare-progress): how far the full pass is, how
    far behind the incremental compare runs, and rows being compared again because they changed
    while being compared (replication lag, not yet a difference)."""

    full_percent: float | None = None
    incremental_delay: float | None = None  # seconds
    recheck_rows: int | None = None  # full + incremental re-checks
    speed: str | None = None  # as the API words it, e.g. "1200 rows/s"


@dataclass(frozen=True)
class DataComparison:
    """A data-level comparison (lines / contents / random) of a job (GET .../table/compare)."""

    id: str
    compare_type: str  # lines | contents | random (unknown values kept)
    status: str
    verdict: Verdict
    start_time: datetime | None = None
    end_time: datetime | None = None
    export_status: str | None = None
    report_remain_seconds: int | None = None
    progress: float | None = None  # percent, while running
    tables: tuple[TableRow, ...] = ()  # inconsistent first
    live: CompareLive | None = None  # v5 compare-progress, while running (where offered)

    @property
    def finished(self) -> bool:
        return CompareStatus.parse(self.status).is_terminal


@dataclass(frozen=True)
class HealthComparison:
    """A health comparison (v5 health-compare-jobs)."""

    id: str
    types: tuple[str, ...]  # "lines,object_comparison" arrives comma-joined
    status: str
    start_time: datetime | None = None
    end_time: datetime | None = None


class Readiness(StrEnum):
    """Can this job (or the whole cutover set) be switched over now? See monitor.readiness."""

    READY = "ready"
    NOT_READY = "not_ready"
    UNKNOWN = "unknown"  # data missing or stale: nobody can tell


@dataclass(frozen=True)
class ReadinessVerdict:
    """A readiness verdict with the concrete reasons behind it (empty when ready)."""

    verdict: Readiness
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class CutoverReadiness(ReadinessVerdict):
    """The verdict for the cutover set: ready only when every job in it is."""

    ready: int = 0  # jobs of the set that are ready
    total: int = 0  # jobs in the set
    job_ids: tuple[str, ...] = ()  # the set, in the order shown


@dataclass(frozen=True)
class LagPoint:
    at: datetime  # when the monitor read it
    lag_ms: float | None  # None: the figure was unknown or stale at that refresh


@dataclass(frozen=True)
class Replication:
    """Replication figures of one job, as of one refresh (None: the API did not say).

    Lags are in milliseconds; `updated_at` is when DRS last updated the figures (monitor data's
    update_time, else the progress answer's process_time); `stale` means that time has stopped
    moving, so the lag shown is old, not zero."""

    lag_ms: float | None = None  # total (progress incre_trans_delay, else source + target)
    source_lag_ms: float | None = None
    target_lag_ms: float | None = None
    progress_percent: float | None = None
    remaining_seconds: float | None = None
    source_ok: bool | None = None
    target_ok: bool | None = None
    updated_at: datetime | None = None
    stale: bool = False
    stale_for_seconds: float | None = None
    incremental: bool | None = None
    transfer_status: str | None = None
    rpo_seconds: float | None = None
    rto_seconds: float | None = None
    ddl_alarms: int | None = None  # open (alarming) DDLs; None: not read
    # The lag against max_lag as the monitor watched it: "over", "under" or "unknown" (stale or
    # missing), since when, and what it was before that (None: watching began with this run).
    lag_state: str | None = None
    lag_state_since: datetime | None = None
    lag_before: str | None = None
    # "over" or "under" once the lag stayed on that side for two reads in a row: crossings of
    # this one are told (alerts, cutover log), so a one-read blip does not ring the bell.
    lag_settled: str | None = None
    history: tuple[LagPoint, ...] = ()  # recent lag readings, oldest first (the trend)
    problems: tuple[str, ...] = ()  # parts that could not be read this time


@dataclass(frozen=True)
class JobView:
    """One DRS job with its latest comparisons, as last seen."""

    id: str
    name: str
    status: str  # raw DRS job status, docs/api/drs.md §4.8 (unknown values kept)
    engine_type: str | None = None
    job_direction: str | None = None
    job_type: str | None = None
    create_time: datetime | None = None
    verdict: Verdict = Verdict.NONE  # roll-up of the latest comparisons
    object_comparison: ObjectComparison | None = None
    data_comparisons: tuple[DataComparison, ...] = ()
    health_comparisons: tuple[HealthComparison, ...] = ()
    # Parts of this job that failed to refresh this time; what is shown for them is older.
    problems: tuple[str, ...] = ()
    replication: Replication | None = None  # None: not read (not in the cutover set)
    readiness: ReadinessVerdict | None = None  # None: not in the cutover set
    # Multi-task jobs: a parent lists its children (ids and names); a child names its parent.
    parent_id: str | None = None
    child_ids: tuple[str, ...] = ()
    child_names: tuple[str, ...] = ()
    # Set when the job is shown among several scopes (combine.py); then it is known by `key`.
    scope: Scope | None = None

    @property
    def key(self) -> str:
        """How the job is known in its view: the id, or (scope, id) among several scopes."""
        return scoped_key(self.scope, self.id)

    @property
    def is_parent(self) -> bool:
        return bool(self.child_ids)

    @property
    def can_compare(self) -> bool:
        """Comparisons can only be created while incremental transfer runs (docs/api/drs.md §5.1)."""
        return JobStatusValue.parse(self.status).can_compare


@dataclass(frozen=True)
class SmsBatchResult:
    """One call of a batch SMS export (at most 200 tasks)."""

    index: int
    task_count: int
    ok: bool
    saved_path: str | None = None
    error: str | None = None  # "SMS.9004: no permission ..." (the API's message)


# Local export phases (ExportRecord.status), beside the API's INIT/EXPORTING/EXPORT_COMPLETE/
# EXPORT_COMMON_FAILED.
REQUESTED = "requested"  # export call sent, no status seen yet
DOWNLOADING = "downloading"
SAVED = "saved"
FAILED = "failed"  # export call refused, or generation failed
DOWNLOAD_FAILED = "download_failed"
EXPIRED = "expired"  # the report's validity ran out before we could fetch it
RUNNING_SMS = "exporting"

FINISHED = frozenset({SAVED, FAILED, DOWNLOAD_FAILED, EXPIRED})


@dataclass(frozen=True)
class ExportRecord:
    """An export drstui started or found: a DRS comparison report or an SMS batch export."""

    key: str  # stable row key
    kind: str  # "drs" | "sms"
    status: str  # export_status (INIT/EXPORTING/EXPORT_COMPLETE/EXPORT_COMMON_FAILED) or local phase
    job_id: str | None = None
    job_name: str | None = None
    compare_type: str | None = None
    compare_job_id: str | None = None
    report_remain_seconds: int | None = None
    # When report_remain_seconds was read, so the screen can count down between refreshes.
    remain_as_of: datetime | None = None
    saved_path: str | None = None
    message: str | None = None
    batches: tuple[SmsBatchResult, ...] = ()
    scope: Scope | None = None  # set among several scopes (the key then names it too)


@dataclass(frozen=True)
class Connection:
    state: LinkState
    reason: str | None = None  # one line, secrets already removed
    since: datetime | None = None  # when the current non-OK state began
    next_retry_at: datetime | None = None
    host: str | None = None  # host[:port] of the endpoint that failed, when known
    details: tuple[str, ...] = ()  # the full story, line by line (endpoint, request, exception)
    last_success: datetime | None = None  # the last refresh that worked (None: never)
    failures: int = 0  # refreshes failed in a row


@dataclass(frozen=True)
class ScopeState:
    """One scope of a combined Snapshot: where it stands on its own."""

    scope: Scope
    connection: Connection
    taken_at: datetime | None = None
    jobs: int = 0


@dataclass(frozen=True)
class Snapshot:
    """All the monitor knows after one refresh. Never raises, never partial in shape."""

    profile: str
    region: str
    project_id: str
    connection: Connection
    # When the data shown was last fetched successfully (None: never).
    taken_at: datetime | None = None
    jobs: tuple[JobView, ...] = ()
    exports: tuple[ExportRecord, ...] = ()
    sequence: int = 0  # increases with every refresh attempt
    readiness: CutoverReadiness | None = None  # the go/no-go verdict of the cutover set
    # Several scopes in one view (combine.py): where each one stands. Empty for one scope.
    scopes: tuple[ScopeState, ...] = ()
    _by_id: dict[str, JobView] = field(default=None, init=False, repr=False, compare=False)  # type: ignore[assignment]

    def job(self, key: str) -> JobView | None:
        """The job known by `key` (its id; among several scopes, `JobView.key`)."""
        if self._by_id is None:
            object.__setattr__(self, "_by_id", {job.key: job for job in self.jobs})
        return self._by_id.get(key)

    @property
    def scope(self) -> Scope:
        """The scope this Snapshot is of (a combined one: its label and regions)."""
        return Scope(self.profile, self.region, self.project_id)

    def scope_state(self, scope: Scope | None) -> ScopeState | None:
        return next((s for s in self.scopes if s.scope == scope), None) if scope else None

    def age_seconds(self, now: datetime) -> float | None:
        """How old the data on screen is."""
        if self.taken_at is None:
            return None
        return max(0.0, (now - self.taken_at).total_seconds())
