"""Creating comparisons: the create-compare-task request and its per-part result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..base import Model, extra_field, wire

DATA_COMPARE_TYPES = ("lines", "contents")
CONFLICT_POLICIES = ("keep", "cancel")


@dataclass(frozen=True)
class CompareObjectInfo:
    """One database (and optionally some of its tables) to compare."""

    db_name: str
    table_names: tuple[str, ...] | None = None  # None/() = all tables of the DB

    def __post_init__(self) -> None:
        if not isinstance(self.db_name, str) or not self.db_name:
            raise ValueError("CompareObjectInfo.db_name must be a non-empty string")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"db_name": self.db_name}
        if self.table_names:
            out["table_name"] = list(self.table_names)
        return out


@dataclass(frozen=True)
class DataLevelCompareInfo:
    compare_type: str  # "lines" (row counts) or "contents" (values)
    conflict_policy: str = "keep"  # keep an unfinished data compare, or "cancel" it
    compare_object_infos: tuple[CompareObjectInfo, ...] = ()
    compare_mode: str | None = None  # "quick_comparison" (allow-listed accounts only)
    start_time: str | None = None  # empty: start now

    def __post_init__(self) -> None:
        if self.compare_type not in DATA_COMPARE_TYPES:
            raise ValueError(f"compare_type must be one of {DATA_COMPARE_TYPES}, not {self.compare_type!r}")
        if self.conflict_policy not in CONFLICT_POLICIES:
            raise ValueError(f"conflict_policy must be one of {CONFLICT_POLICIES}, not {self.conflict_policy!r}")
        if not self.compare_object_infos and self.compare_mode != "quick_comparison":
            raise ValueError("compare_object_infos is required unless compare_mode is quick_comparison")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"conflict_policy": self.conflict_policy,
                               "compare_type": self.compare_type}
        if self.compare_mode:
            out["compare_mode"] = self.compare_mode
        if self.start_time:
            out["start_time"] = self.start_time
        if self.compare_object_infos:
            out["compare_object_infos"] = [o.to_json() for o in self.compare_object_infos]
        return out


@dataclass(frozen=True)
class CreateCompareTaskRequest:
    """Body of POST /v3/{project_id}/jobs/create-compare-task."""

    job_id: str
    object_level: bool = False  # also create an object-level comparison
    data_level: DataLevelCompareInfo | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.job_id, str) or not self.job_id:
            raise ValueError("job_id must be a non-empty string")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"job_id": self.job_id}
        if self.object_level:
            out["object_level_compare_type"] = "objects"
        if self.data_level is not None:
            out["data_level_compare_info"] = self.data_level.to_json()
        return out


@dataclass(frozen=True)
class CompareCreateResult(Model):
    """Result for one part (object- or data-level) of create-compare-task."""

    compare_task_id: str | None = None
    error_code: str | None = None
    error_msg: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def ok(self) -> bool:
        return bool(self.compare_task_id) and not self.error_code


@dataclass(frozen=True)
class CreateCompareTaskResult(Model):
    """Answer of create-compare-task. Errors inside a part are kept here, not raised: the other
    part may have been created and its id must not be lost."""

    job_id: str | None = None
    object_level: CompareCreateResult | None = wire("object_level_compare_create_result")
    data_level: CompareCreateResult | None = wire("data_level_compare_create_result")
    error_code: str | None = None
    error_msg: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def errors(self) -> tuple[tuple[str, str | None, str | None], ...]:
        """(part, error_code, error_msg) for the top level and each failed part."""
        out = []
        if self.error_code:
            out.append(("request", self.error_code, self.error_msg))
        for part, result in (("object_level", self.object_level), ("data_level", self.data_level)):
            if result is not None and result.error_code:
                out.append((part, result.error_code, result.error_msg))
        return tuple(out)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created_ids(self) -> tuple[str, ...]:
        return tuple(p.compare_task_id for p in (self.object_level, self.data_level)
                     if p is not None and p.compare_task_id)
