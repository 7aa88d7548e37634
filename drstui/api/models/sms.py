"""SMS models (docs/api/sms.md §3). Times are epoch milliseconds (ints) on the wire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._parse import Reader, load_json_text
from .base import Model, extra_field, wire

MAX_EXPORT_FIELD = 255

@dataclass(frozen=True)
class SmsExportItem:
    """One `task_info` entry of the consistency-results export. All three fields are sent."""

    task_id: str
    source_id: str
    source_name: str

    def __post_init__(self) -> None:
        for name in ("task_id", "source_id", "source_name"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise ValueError(f"SmsExportItem.{name} must be a string, not {type(value).__name__}")
            if len(value) > MAX_EXPORT_FIELD:
                raise ValueError(f"SmsExportItem.{name} is longer than {MAX_EXPORT_FIELD} characters")
        if not self.task_id or not self.source_id:
            raise ValueError("SmsExportItem needs a task_id and a source_id")

    def to_json(self) -> dict[str, str]:
        return {"task_id": self.task_id, "source_id": self.source_id, "source_name": self.source_name}

@dataclass(frozen=True)
class SmsServerRef(Model):
    """`source_server` / `target_server` of a task (target adds vm_id)."""

    id: str | None = None
    name: str | None = None
    ip: str | None = None
    os_type: str | None = None
    os_version: str | None = None
    state: str | None = None
    vm_id: str | None = None
    oem_system: bool | None = None
    extra: dict[str, Any] = extra_field()

@dataclass(frozen=True)
class SmsSubTask(Model):
    id: int | None = None
    name: str | None = None
    progress: int | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    process_trace: str | None = None
    extra: dict[str, Any] = extra_field()

@dataclass(frozen=True)
class SmsTask(Model):
    """A migration task from GET /v3/tasks (main fields)."""

    id: str | None
    name: str | None = None
    type: str | None = None
    os_type: str | None = None
    state: str | None = None
    create_date: datetime | None = None
    estimate_complete_time: datetime | None = None
    priority: int | None = None
    speed_limit: int | None = None
    migrate_speed: float | None = None
    compress_rate: float | None = None
    start_target_server: bool | None = None
    error_json: str | None = None
    total_time: int | None = None
    migration_ip: str | None = None
    sub_tasks: tuple[SmsSubTask, ...] = ()
    source_server: SmsServerRef | None = None
    target_server: SmsServerRef | None = None
    enterprise_project_id: str | None = None
    log_collect_status: str | None = None
    syncing: bool | None = None
    special_config: tuple[dict[str, Any], ...] = ()
    need_migration_test: bool | None = None
    subtask_info: str | None = None
    extra: dict[str, Any] = extra_field()

    def export_item(self) -> SmsExportItem | None:
        """The export `task_info` entry for this task, if it has the ids needed."""
        src = self.source_server
        if not self.id or src is None or not src.id:
            return None
        try:
            return SmsExportItem(self.id, src.id, src.name or "")
        except ValueError:
            return None

@dataclass(frozen=True)
class SmsTaskList(Model):
    count: int | None
    tasks: tuple[SmsTask, ...] = ()
    extra: dict[str, Any] = extra_field()

@dataclass(frozen=True)
class SmsCurrentTask(Model):
    """`current_task` of a source server (main fields)."""

    id: str | None = None
    name: str | None = None
    type: str | None = None
    state: str | None = None
    start_date: datetime | None = None
    estimate_complete_time: datetime | None = None
    migrate_speed: float | None = None
    region_id: str | None = None
    project_id: str | None = None
    remain_seconds: int | None = None
    extra: dict[str, Any] = extra_field()

@dataclass(frozen=True)
class SmsSource(Model):
    """A source server from GET /v3/sources (main fields)."""

    id: str | None
    name: str | None = None
    ip: str | None = None
    enterprise_project_id: str | None = None
    add_date: datetime | None = None
    os_type: str | None = None
    os_version: str | None = None
    oem_system: bool | None = None
    state: str | None = None
    connected: bool | None = None
    cpu_quantity: int | None = None
    memory: int | None = None
    current_task: SmsCurrentTask | None = None
    checks: tuple[dict[str, Any], ...] = ()
    replicatesize: int | None = None
    totalsize: int | None = None
    last_visit_time: datetime | None = None
    migration_cycle: str | None = None
    is_consistency_result_exist: bool | None = None
    has_tc: bool | None = None
    start_type: str | None = None
    extra: dict[str, Any] = extra_field()

    def export_item(self) -> SmsExportItem | None:
        task = self.current_task
        if not self.id or task is None or not task.id:
            return None
        try:
            return SmsExportItem(task.id, self.id, self.name or "")
        except ValueError:
            return None

@dataclass(frozen=True)
class SmsSourceList(Model):
    count: int | None
    sources: tuple[SmsSource, ...] = wire("source_servers", default=())
    extra: dict[str, Any] = extra_field()

@dataclass(frozen=True)
class DirConsistency(Model):
    """Consistency counts for one checked directory."""

    dir_check: str | None = None
    num_total_files: int | None = None
    num_different_files: int | None = None
    num_target_miss_files: int | None = None
    num_target_more_files: int | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def consistent(self) -> bool:
        return not (self.num_different_files or self.num_target_miss_files
                    or self.num_target_more_files)

@dataclass(frozen=True)
class ConsistencyCheck(Model):
    """One verification run. From the object form (`finished_time`, `check_result`,
    `consistency_result[]`) or from the SDK string form (each string is JSON text; kept in
    `raw` when it is not a recognisable object)."""

    finished_time: datetime | None = None
    check_result: str | None = None
    dirs: tuple[DirConsistency, ...] = ()
    raw: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ConsistencyCheck:
        if r.has("dir_check") and not r.has("consistency_result"):
            # A bare directory result (what the SDK string form usually holds).
            return cls(dirs=(DirConsistency._read(r),))
        return cls(r.time("finished_time")[0], r.str("check_result"),
                   r.objs("consistency_result", DirConsistency._read), extra=r.extra())

    @classmethod
    def from_item(cls, value: Any, path: str) -> ConsistencyCheck | None:
        if value is None:
            return None
        if isinstance(value, str):
            parsed = load_json_text(value)
            if isinstance(parsed, dict):
                try:
                    return cls._read(Reader(parsed, path))
                except Exception:  # odd text inside a string: keep it verbatim
                    return cls(raw=value)
            return cls(raw=value)
        return cls._read(Reader(value, path))

@dataclass(frozen=True)
class ConsistencyResult(Model):
    """GET /v3/tasks/{task_id}/consistency-result, any of the three documented shapes."""

    task_id: str | None
    checks: tuple[ConsistencyCheck, ...] = ()
    extra: dict[str, Any] = extra_field()

    @property
    def latest(self) -> ConsistencyCheck | None:
        return self.checks[-1] if self.checks else None

    @classmethod
    def _read(cls, r: Reader) -> ConsistencyResult:
        task_id = r.str("task_id")
        checks = tuple(c for c in r.list("result_list", ConsistencyCheck.from_item) if c is not None)
        if not checks and r.has("consistency_result"):  # older flat shape
            flat = (r.time("finished_time")[0], r.str("check_result"),
                    r.objs("consistency_result", DirConsistency._read))
            checks = (ConsistencyCheck(*flat),)
        return cls(task_id, checks, extra=r.extra())


__all__ = [
    "SmsExportItem",
    "SmsServerRef",
    "SmsSubTask",
    "SmsTask",
    "SmsTaskList",
    "SmsCurrentTask",
    "SmsSource",
    "SmsSourceList",
    "DirConsistency",
    "ConsistencyCheck",
    "ConsistencyResult",
    "MAX_EXPORT_FIELD",
]
