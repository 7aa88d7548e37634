"""The simulated cloud's state: projects, DRS jobs and their comparisons, SMS tasks and sources.

Everything is generated from ``random.Random(seed)`` and all time-dependent state is *computed
from the clock on each read* (no background threads): a comparison stores when it was created,
how long it queues and runs and how it ends; its status, progress and per-type counts follow from
``clock.now()``.

Timelines (simulated seconds, see :class:`WorldSettings`):

* comparison: ``WAITING_FOR_RUNNING`` for 2–6 s → ``RUNNING`` (object 20–40 s, rows 30–60 s,
  values 45–90 s) → ``SUCCESSFUL``, or (with probability ``failure_rate``) ``FAILED`` /
  ``TIMEOUT_INTERRUPT`` part-way. Object types finish one by one (status 3 until then); tables
  finish one by one.
* export: ``EXPORTING`` for ``export_seconds`` (5 s) → ``EXPORT_COMPLETE`` with
  ``report_remain_seconds`` counting down from ``report_valid_seconds`` (300 s) to 0. At 0 the
  file has expired: ``export_status`` stays ``EXPORT_COMPLETE``, ``report_remain_seconds`` is 0,
  and a download is refused with 400 ``DRS.10000001`` until the file is exported again.
  Exporting a comparison that ended FAILED/TIMEOUT_INTERRUPT/CANCELLED ends in
  ``EXPORT_COMMON_FAILED``.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, field
from typing import Iterable

from .clock import Clock
from .lag import ReplicationScenario
from .policy import PolicyState, initial_policy

PROJECT_ID = "054ba152d480d55b2f5dc0069e7ddef0"
REGION = "cn-north-4"
JOB_A = "94800607-3cd8-4f7d-a340-63a10f8jb502"
JOB_B = "f8688cfa-4e05-406f-a2e6-37a773cjb20y"
JOB_C = "9a470239-2308-4bb5-a6bc-1040402fjb21"
OBJECT_COMPARE_A = "dc1683d9-bdf2-4be9-967f-6ef0953369bc"
LINES_COMPARE_A = "08cad1f8-9de2-42fa-b8ce-6c36daf730f6"
CONTENTS_COMPARE_A = "9406224c-8063-436a-8fe2-796d87f054dc"
HEALTH_DONE_A = "3bca29b5-419a-409d-a8d1-d892aa12bf53"
HEALTH_WAITING_A = "118d1bdc-b3c8-48a0-af77-3400da6e9291"
SMS_TASK_PREFIX = "05a41be9-3ffe-4cc6-8d66-07359039"
SMS_SOURCE_PREFIX = "31806fb2-95bd-421f-ae35-b81b750d"

TERMINAL = ("SUCCESSFUL", "FAILED", "CANCELLED", "TIMEOUT_INTERRUPT")


@dataclass(frozen=True)
class Engine:
    engine_type: str
    source_db: str
    target_db: str
    object_types: tuple[str, ...]


MYSQL_TYPES = ("DB", "TABLE", "VIEW", "INDEX", "ROUTINE", "TRIGGER", "EVENT", "TABLE_COLLATION")
ENGINES = {
    "mysql-to-mysql": Engine("mysql-to-mysql", "mysql", "mysql", MYSQL_TYPES),
    "mysql-to-gaussdbv5": Engine("mysql-to-gaussdbv5", "mysql", "gaussdbv5",
                                 ("DB", "TABLE", "VIEW", "INDEX", "ROUTINE", "TRIGGER", "EVENT")),
    "oracle-to-gaussdbv5": Engine("oracle-to-gaussdbv5", "oracle", "gaussdbv5",
                                  ("DB", "TABLE", "VIEW", "INDEX", "SYNONYM", "FUNCTION", "PROCEDURE",
                                   "TYPE", "TRIGGER", "CONSTRAINT")),
    "postgresql-to-gaussdbv5": Engine("postgresql-to-gaussdbv5", "postgresql", "gaussdbv5",
                                      ("DB", "TABLE", "VIEW", "INDEX", "FUNCTION", "TRIGGER", "CONSTRAINT")),
    "postgresql-to-postgresql": Engine("postgresql-to-postgresql", "postgresql", "postgresql",
                                       ("DB", "TABLE", "VIEW", "INDEX", "FUNCTION", "TRIGGER", "RULE",
                                        "CONSTRAINT")),
}
DB_NAMES = ("orders", "billing", "inventory", "crm", "payments", "catalog", "hr", "logistics")
TABLE_NAMES = ("orders", "order_items", "customers", "invoices", "payments", "products", "stock_moves",
               "shipments", "users", "sessions", "refunds", "coupons", "addresses", "carts", "reviews",
               "suppliers")
JOB_WORDS = ("orders", "billing", "crm", "ledger", "catalog", "payments", "hr", "warehouse", "loyalty",
             "search", "events", "risk")
# Generated jobs' states, weighted towards the compare-capable one.
GENERATED_STATES = (("INCRE_TRANSFER_STARTED", 6), ("PAUSING", 1), ("INCRE_TRANSFER_FAILED", 1),
                    ("FULL_TRANSFER_STARTED", 1), ("FULL_TRANSFER_COMPLETE", 1))


@dataclass
class WorldSettings:
    seed: int = 7
    jobs: int = 12
    tables: int = 16
    sms_tasks: int = 6
    project_id: str = PROJECT_ID
    region: str = REGION
    failure_rate: float = 0.15
    inconsistency_rate: float = 0.2
    queue_seconds: tuple[float, float] = (2.0, 6.0)
    object_run_seconds: tuple[float, float] = (20.0, 40.0)
    lines_run_seconds: tuple[float, float] = (30.0, 60.0)
    contents_run_seconds: tuple[float, float] = (45.0, 90.0)
    export_seconds: float = 5.0
    report_valid_seconds: float = 300.0
    sms_result_shape: str = "objects"  # "objects" (docs) or "strings" (SDK 3.1.219 model)
    multi_task_jobs: int = 0  # parent jobs with two child jobs each (see family.py)
    hostile_names: bool = False  # names and messages that attack the client (sim/hostile.py)


# --------------------------------------------------------------------------------------------
# DRS


@dataclass
class Table:
    db: str
    name: str
    rows: int


@dataclass
class ExportState:
    requested_at: float
    ready_after: float
    valid_for: float
    fails: bool = False

    def status(self, now: float) -> str:
        if now < self.requested_at + self.ready_after:
            return "EXPORTING"
        return "EXPORT_COMMON_FAILED" if self.fails else "EXPORT_COMPLETE"

    def remain_seconds(self, now: float) -> int:
        if self.status(now) != "EXPORT_COMPLETE":
            return -1
        left = self.requested_at + self.ready_after + self.valid_for - now
        return max(0, math.ceil(left))


@dataclass
class Timeline:
    """When a comparison queues, runs and stops; everything else is derived from ``now``."""

    created_at: float
    start_at: float
    run_seconds: float
    outcome: str = "SUCCESSFUL"  # or FAILED / TIMEOUT_INTERRUPT
    stop_fraction: float = 1.0  # where a failed run stops
    cancelled_at: float | None = None
    paused_at: float | None = None  # set while paused (the work stands still)
    paused_seconds: float = 0.0  # total of the pauses already ended

    @property
    def end_at(self) -> float:
        if self.paused_at is not None:
            return math.inf
        return self.start_at + self.paused_seconds + self.run_seconds * self.stop_fraction

    def status(self, now: float) -> str:
        # The documented statuses have no "paused" value: a paused comparison still reads
        # RUNNING while its progress stands still.
        if self.cancelled_at is not None and now >= self.cancelled_at:
            return "CANCELLED"
        if now < self.start_at:
            return "WAITING_FOR_RUNNING"
        if now < self.end_at:
            return "RUNNING"
        return self.outcome

    def is_paused(self, now: float) -> bool:
        return self.paused_at is not None and self.status(now) == "RUNNING"

    def pause(self, now: float) -> None:
        self.paused_at = now

    def resume(self, now: float) -> None:
        if self.paused_at is not None:
            self.paused_seconds += now - self.paused_at
            self.paused_at = None

    def progress(self, now: float) -> float:
        """Fraction of the work done, 0..1 (frozen where the run stopped or is paused)."""
        stop = self.end_at if self.cancelled_at is None else min(self.end_at, self.cancelled_at)
        t = min(now, stop)
        if self.paused_at is not None:
            t = min(t, self.paused_at)
        if t <= self.start_at:
            return 0.0
        return min(1.0, (t - self.start_at - self.paused_seconds) / self.run_seconds)

    def finished_at(self, now: float) -> float | None:
        if self.cancelled_at is not None and now >= self.cancelled_at:
            return min(self.cancelled_at, self.end_at)
        return self.end_at if now >= self.end_at else None

    def is_finished(self, now: float) -> bool:
        return self.status(now) in TERMINAL


@dataclass
class ObjectRow:
    source_db: str
    target_db: str
    source_value: str
    target_value: str
    consistent: bool


@dataclass
class TypeResult:
    object_type: str
    rows: list[ObjectRow]

    @property
    def source_count(self) -> int:
        return sum(1 for r in self.rows if r.source_value)

    @property
    def target_count(self) -> int:
        return sum(1 for r in self.rows if r.target_value)

    @property
    def consistent(self) -> bool:
        return all(r.consistent for r in self.rows)


@dataclass
class TableResult:
    table: Table
    target_rows: int
    final_status: int  # §4.6: 2 consistent, 0 inconsistent, 22 target DB missing
    value_diffs: int = 0  # rows whose values differ (value comparison only)

    @property
    def row_diff(self) -> int:
        return abs(self.table.rows - self.target_rows)


@dataclass
class Comparison:
    """An object-level ("object") or data-level ("lines"/"contents") comparison of one job."""

    id: str
    job_id: str
    kind: str  # "object", "lines", "contents"
    timeline: Timeline
    types: list[TypeResult] = field(default_factory=list)  # kind == "object"
    tables: list[TableResult] = field(default_factory=list)  # data-level kinds
    options: dict[str, str] = field(default_factory=dict)
    export: ExportState | None = None

    def status(self, now: float) -> str:
        return self.timeline.status(now)

    def finished_units(self, now: float) -> int:
        """How many object types / tables are done at ``now``."""
        total = len(self.types) if self.kind == "object" else len(self.tables)
        if self.status(now) == "SUCCESSFUL":
            return total
        return min(total, int(self.timeline.progress(now) * total + 1e-9))


@dataclass
class HealthCompare:
    id: str
    job_id: str
    type: str
    timeline: Timeline
    types: list[TypeResult]
    compute_type: str = "drs"


@dataclass
class DrsJob:
    id: str
    name: str
    status: str
    engine: Engine
    job_type: str
    task_type: str
    net_type: str
    create_time: float
    databases: list[str]
    tables: list[Table]
    missing_target_dbs: set[str] = field(default_factory=set)
    error_code: str = ""
    error_message: str = ""
    source_ip: str = "192.168.0.10"
    description: str = ""
    comparisons: list[Comparison] = field(default_factory=list)
    health_compares: list[HealthCompare] = field(default_factory=list)
    compare_policy: PolicyState | None = None
    mode_role: str = ""  # "parent" / "child" for a multi-task job, "" for a single one
    parent_id: str | None = None
    children: list["DrsJob"] = field(default_factory=list)  # a parent's child jobs, in order

    def latest(self, kind: str) -> Comparison | None:
        found = [c for c in self.comparisons if c.kind == kind]
        return found[-1] if found else None

    def comparison(self, compare_id: str) -> Comparison | None:
        return next((c for c in self.comparisons if c.id == compare_id), None)

    def unfinished(self, kinds: Iterable[str], now: float) -> list[Comparison]:
        kinds = set(kinds)
        return [c for c in self.comparisons if c.kind in kinds and not c.timeline.is_finished(now)]


# --------------------------------------------------------------------------------------------
# SMS


@dataclass
class SmsSource:
    id: str
    name: str
    ip: str
    state: str
    migration_cycle: str
    connected: bool
    has_result: bool
    add_date: float


@dataclass
class SmsTask:
    id: str
    name: str
    state: str
    source: SmsSource
    target_ip: str
    create_date: float
    results: list[dict] = field(default_factory=list)  # ConsistencyResult items
    finished_time: float = 0.0


@dataclass
class Project:
    id: str
    region: str
    jobs: dict[str, DrsJob] = field(default_factory=dict)


class World:
    """State of the simulated account. Build with :func:`build_world`."""

    def __init__(self, settings: WorldSettings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.rng = random.Random(settings.seed)
        # A separate stream for things created at run time, so a request that creates a
        # comparison never shifts what the initial world looked like.
        self.runtime_rng = random.Random(f"{settings.seed}/runtime")
        self.projects: dict[str, Project] = {settings.project_id: Project(settings.project_id, settings.region)}
        self.sms_tasks: dict[str, SmsTask] = {}
        self.sms_sources: dict[str, SmsSource] = {}
        self.replication: dict[str, ReplicationScenario] = {}  # job id -> lag behaviour

    @property
    def project(self) -> Project:
        return self.projects[self.settings.project_id]

    def now(self) -> float:
        return self.clock.now()

    # -- ids ------------------------------------------------------------------------------
    def new_uuid(self, rng: random.Random | None = None) -> str:
        return str(uuid.UUID(int=(rng or self.runtime_rng).getrandbits(128), version=4))

    def new_job_id(self, rng: random.Random) -> str:
        raw = uuid.UUID(int=rng.getrandbits(128), version=4).hex
        tail_len = rng.choice((2, 3))
        tail = "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(tail_len))
        last = raw[20:20 + 10 - tail_len] + "jb" + tail
        return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{last}"

    # -- comparisons ----------------------------------------------------------------------
    def make_timeline(self, rng: random.Random, kind: str, created_at: float,
                      outcome: str | None = None) -> Timeline:
        s = self.settings
        run_range = {"object": s.object_run_seconds, "lines": s.lines_run_seconds,
                     "contents": s.contents_run_seconds}[kind]
        queue = rng.uniform(*s.queue_seconds)
        run = rng.uniform(*run_range)
        if outcome is None:
            roll = rng.random()
            outcome = "SUCCESSFUL"
            if roll < s.failure_rate:
                outcome = "FAILED" if roll < s.failure_rate / 2 else "TIMEOUT_INTERRUPT"
        stop = 1.0 if outcome == "SUCCESSFUL" else rng.uniform(0.3, 0.8)
        return Timeline(created_at, created_at + queue, run, outcome, stop)

    def make_type_results(self, rng: random.Random, job: DrsJob, types: Iterable[str] | None = None,
                          force_inconsistent: Iterable[str] = ()) -> list[TypeResult]:
        results = []
        forced = set(force_inconsistent)
        for object_type in types or job.engine.object_types:
            rows = self._object_rows(rng, job, object_type)
            inconsistent = object_type in forced or rng.random() < self.settings.inconsistency_rate
            if inconsistent and object_type not in ("DB",):
                for row in rng.sample(rows, k=min(len(rows), rng.randint(1, 2))):
                    row.target_value = ""
                    row.consistent = False
            results.append(TypeResult(object_type, rows))
        return results

    def _object_rows(self, rng: random.Random, job: DrsJob, object_type: str) -> list[ObjectRow]:
        def row(db: str, name: str) -> ObjectRow:
            missing = db in job.missing_target_dbs
            return ObjectRow(db, db, name, "" if missing else name, not missing)

        if object_type == "DB":
            return [row(db, db) for db in job.databases]
        if object_type == "TABLE":
            return [row(t.db, t.name) for t in job.tables]
        if object_type == "INDEX":
            return [row(t.db, f"idx_{t.name}_{i}") for t in job.tables for i in range(1, 3)]
        if object_type == "TABLE_COLLATION":
            return [row(db, "utf8mb4_general_ci") for db in job.databases]
        prefix = {"VIEW": "v", "ROUTINE": "sp", "TRIGGER": "trg", "EVENT": "ev", "SYNONYM": "syn",
                  "FUNCTION": "fn", "PROCEDURE": "proc", "TYPE": "t", "CONSTRAINT": "fk", "RULE": "rule"}
        count = rng.randint(1, 5)
        db = job.databases[0]
        sample = [job.tables[i % len(job.tables)].name for i in range(count)]
        return [row(db, f"{prefix.get(object_type, 'obj')}_{name}_{i}") for i, name in enumerate(sample)]

    def make_table_results(self, rng: random.Random, job: DrsJob, kind: str,
                           force_inconsistent: Iterable[str] = ()) -> list[TableResult]:
        forced = set(force_inconsistent)
        results = []
        for table in job.tables:
            if table.db in job.missing_target_dbs:
                results.append(TableResult(table, 0, 22))
                continue
            if table.name in forced or rng.random() < self.settings.inconsistency_rate:
                if kind == "lines" or rng.random() < 0.5:
                    diff = 2 if table.name in forced else rng.randint(1, 5)
                    results.append(TableResult(table, max(0, table.rows - diff), 0, value_diffs=diff))
                else:
                    results.append(TableResult(table, table.rows, 0, value_diffs=rng.randint(1, 4)))
            else:
                results.append(TableResult(table, table.rows, 2))
        return results

    def add_comparison(self, job: DrsJob, kind: str, created_at: float, *, compare_id: str | None = None,
                       rng: random.Random | None = None, outcome: str | None = None,
                       force_inconsistent: Iterable[str] = ()) -> Comparison:
        rng = rng or self.runtime_rng
        timeline = self.make_timeline(rng, kind, created_at, outcome)
        comparison = Comparison(compare_id or self.new_uuid(rng), job.id, kind, timeline)
        if kind == "object":
            comparison.types = self.make_type_results(rng, job, force_inconsistent=force_inconsistent)
        else:
            comparison.tables = self.make_table_results(rng, job, kind, force_inconsistent)
            comparison.options = ({"comparePolicy": "normal"} if kind == "lines"
                                  else {"contentCompareType": "static", "lobCompare": "ignore"})
        job.comparisons.append(comparison)
        return comparison

    def start_export(self, comparison: Comparison, now: float) -> ExportState:
        current = comparison.export
        if current is not None and current.status(now) == "EXPORTING":
            return current  # a repeated request while generating changes nothing
        fails = comparison.status(now) in ("FAILED", "TIMEOUT_INTERRUPT", "CANCELLED")
        comparison.export = ExportState(now, self.settings.export_seconds, self.settings.report_valid_seconds,
                                        fails)
        return comparison.export


# --------------------------------------------------------------------------------------------
# building


def _tables_for(rng: random.Random, databases: list[str], count: int) -> list[Table]:
    tables = []
    for i in range(max(1, count)):
        db = databases[min(len(databases) - 1, i * len(databases) // max(1, count))]
        name = TABLE_NAMES[i] if i < len(TABLE_NAMES) else f"t_{i:05d}"
        tables.append(Table(db, name, rng.randint(50, 2_000_000)))
    return tables


def _new_job(world: World, job_id: str, name: str, status: str, engine: str, databases: list[str],
             tables: list[Table], created: float, **extra) -> DrsJob:
    job = DrsJob(job_id, name, status, ENGINES[engine], extra.pop("job_type", "sync"),
                 extra.pop("task_type", "FULL_INCR_TRANS"), "vpc", created, databases, tables, **extra)
    job.compare_policy = initial_policy(job.engine.engine_type)
    world.project.jobs[job.id] = job
    return job
