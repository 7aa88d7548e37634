"""DRS jobs: the v5/v3 job lists, the v5 job detail and the v3 batch status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .._parse import Reader
from ..base import Model, extra_field, read_declared, wire
from ..enums import JobStatusValue


class _JobStatusMixin:
    status: str | None

    @property
    def status_enum(self) -> JobStatusValue:
        return JobStatusValue.parse(self.status)


@dataclass(frozen=True)
class JobAction(Model):
    available_actions: tuple[str, ...] = ()
    unavailable_actions: tuple[str, ...] = ()
    current_action: str | None = None
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class Job(_JobStatusMixin, Model):
    """One DRS job from the v5 list (JobListResp) or the v3 list (JobInfo)."""

    id: str | None
    name: str | None = None
    status: str | None = None
    description: str | None = None
    create_time: datetime | None = None
    create_time_raw: str | None = None
    engine_type: str | None = None
    net_type: str | None = None
    charging_mode: str | None = None
    billing_tag: bool | None = None
    job_direction: str | None = None
    job_type: str | None = wire("job_type", "db_use_type")  # v5 job_type / v3 db_use_type
    task_type: str | None = None
    enterprise_project_id: str | None = None
    job_mode: str | None = None
    job_mode_role: str | None = None
    is_multi_az: bool | None = None
    node_role: str | None = None
    node_new_framework: bool | None = wire("node_new_framework", "node_newFramework")  # v5 / v3
    job_action: JobAction | None = None
    children: tuple[Job, ...] = ()
    error_msg: str | None = None  # v3 children carry one
    extra: dict[str, Any] = extra_field()

    @property
    def can_compare(self) -> bool:
        return self.status_enum.can_compare


@dataclass(frozen=True)
class JobList(Model):
    """A page of jobs; `total` is the match count ignoring paging (v5 total_count, v3 total_record)."""

    total: int | None = wire("total_count", "total_record")
    jobs: tuple[Job, ...] = ()
    api_version: str = wire(kind="manual", default="v5")
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> JobList:
        v3 = r.raw("total_count") is None and r.raw("total_record") is not None
        return read_declared(cls, r, api_version="v3" if v3 else "v5")


@dataclass(frozen=True)
class JobEndpoint(Model):
    """Main fields of a source/target endpoint in the v5 job detail."""

    db_type: str | None = None
    endpoint_type: str | None = None
    endpoint_role: str | None = None
    ip: str | None = wire("endpoint.ip")
    db_port: str | None = wire("endpoint.db_port")
    db_name: str | None = wire("endpoint.db_name")
    instance_id: str | None = wire("endpoint.instance_id")
    instance_name: str | None = wire("endpoint.instance_name")
    region: str | None = wire("cloud.region")
    endpoint: dict[str, Any] | None = None
    cloud: dict[str, Any] | None = None
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class JobProgress(Model):
    """`progress_info` of the v5 job detail. The SDK declares progress and delays as strings:
    read leniently (a value that is not a number is None, not a failed job detail)."""

    progress: float | None = wire(kind="number")
    incr_trans_delay: float | None = wire(kind="number")
    incr_trans_delay_millis: float | None = wire(kind="number")
    task_mode: str | None = None
    transfer_status: str | None = None
    process_time: str | None = None
    remaining_time: str | None = None
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class JobDetail(_JobStatusMixin, Model):
    """Main fields of the v5 job detail (`{"job": {...}}`; a bare job object is accepted)."""

    id: str | None
    status: str | None = None
    create_time: datetime | None = None
    create_time_raw: str | None = None
    name: str | None = wire("base_info.name")
    job_type: str | None = wire("base_info.job_type")
    engine_type: str | None = wire("base_info.engine_type")
    job_direction: str | None = wire("base_info.job_direction")
    task_type: str | None = wire("base_info.task_type")
    net_type: str | None = wire("base_info.net_type")
    charging_mode: str | None = wire("base_info.charging_mode")
    enterprise_project_id: str | None = wire("base_info.enterprise_project_id")
    description: str | None = wire("base_info.description")
    tags: tuple[tuple[str, str], ...] = wire(kind="manual", default=())
    source_endpoints: tuple[JobEndpoint, ...] = wire("source_endpoint", default=())
    target_endpoints: tuple[JobEndpoint, ...] = wire("target_endpoint", default=())
    progress: JobProgress | None = wire("progress_info")
    sync_mode: str | None = None
    task_version: str | None = None
    compare_result: dict[str, Any] | None = None  # type=compare; free-form, large
    base_info: dict[str, Any] | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> JobDetail:
        if r.has("job"):
            job = r.obj_("job", lambda j: j)
            if job is None:
                return cls(id=None)
            r = job
        base = r.obj_("base_info", lambda b: b)
        tags = base.objs("tags", lambda t: (t.str("key") or "", t.str("value") or "")) if base else ()
        return read_declared(cls, r, tags=tags)


@dataclass(frozen=True)
class JobStatus(_JobStatusMixin, Model):
    """One item of the v3 batch-status answer (note `error_message`, not `error_msg`)."""

    id: str | None
    status: str | None = None
    error_code: str | None = None
    error_message: str | None = wire("error_message", "error_msg")
    extra: dict[str, Any] = extra_field()

    @property
    def error_msg(self) -> str | None:
        return self.error_message


@dataclass(frozen=True)
class JobStatusPage(Model):
    count: int | None
    results: tuple[JobStatus, ...] = ()
    extra: dict[str, Any] = extra_field()
