"""Replication models: batch progress (v3), monitor data (v5), RPO/RTO (v3), DDL alarms (v5).

Units and quirks (see docs/replication-api.md): progress numbers arrive as strings ("", "-" or
text mean unknown), ``-1`` means "not incremental yet", and the progress delay is spelled
``incre_trans_delay`` in the v3 batch answer but ``incr_trans_delay`` in the v5 job detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._parse import Reader, lenient_number
from .base import Model, extra_field

# monitor-data src_delay/dst_delay and the RPO/RTO delay carry no unit in the API; seconds is the
# likeliest reading. Kept here, in one place, so a correction is one line.
MONITOR_DELAY_UNIT_MS = 1000
RPO_RTO_DELAY_UNIT_MS = 1000
NOT_INCREMENTAL_YET = -1


def _non_negative(value: float | None) -> float | None:
    """Delays and remaining times of -1 (or below) mean "not known yet"."""
    return value if value is not None and value >= 0 else None


def _rate(value: int | None) -> int | None:
    return None if value is None or value == NOT_INCREMENTAL_YET else value


@dataclass(frozen=True)
class PhaseProgress(Model):
    """SDK ProgressInfo: one phase (data / structure / index) of a job's progress."""

    completed_percent: float | None = None
    remaining_seconds: float | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> PhaseProgress:
        return cls(lenient_number(r.raw("completed")),
                   _non_negative(lenient_number(r.raw("remaining_time"))), extra=r.extra())


@dataclass(frozen=True)
class ReplicationProgress(Model):
    """SDK QueryProgressResp (v3 batch-progress), also read from the v5 job detail's
    ``progress_info`` (``incr_`` spelling). `delay_ms` prefers the millisecond twin."""

    job_id: str | None = None
    progress_percent: float | None = None
    delay_ms: float | None = None
    task_mode: str | None = None
    transfer_status: str | None = None
    process_time: datetime | None = None  # when DRS last updated these figures
    process_time_raw: str | None = None
    remaining_seconds: float | None = None
    phases: dict[str, PhaseProgress] | None = None
    apply_rows_rate: int | None = None  # None: not incremental yet (-1) or not sent
    apply_bytes_rate: int | None = None
    incremental: bool | None = None  # False when the API says -1 ("not incremental yet")
    error_code: str | None = None
    error_msg: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ReplicationProgress:
        millis = _delay(r, "incre_trans_delay_millis", "incr_trans_delay_millis", 1)
        seconds = _delay(r, "incre_trans_delay", "incr_trans_delay", 1000)
        process_time, process_raw = r.time("process_time")
        rows, bytes_ = r.int("apply_rows_rate"), r.int("apply_bytes_rate")
        rates = [x for x in (rows, bytes_) if x is not None]
        phases_raw = r.dict("progress_map")
        phases = None
        if phases_raw is not None:
            phases = {str(name): PhaseProgress._read(Reader(value, f"{r.at('progress_map')}.{name}"))
                      for name, value in phases_raw.items() if value is not None}
        return cls(
            job_id=r.str("job_id"),
            progress_percent=lenient_number(r.raw("progress")),
            delay_ms=millis if millis is not None else seconds,
            task_mode=r.str("task_mode"),
            transfer_status=r.str("transfer_status"),
            process_time=process_time,
            process_time_raw=process_raw,
            remaining_seconds=_non_negative(lenient_number(r.raw("remaining_time"))),
            phases=phases,
            apply_rows_rate=_rate(rows),
            apply_bytes_rate=_rate(bytes_),
            incremental=(all(x != NOT_INCREMENTAL_YET for x in rates) if rates else None),
            error_code=r.str("error_code"),
            error_msg=r.str("error_msg"),
            extra=r.extra(),
        )


def _delay(r: Reader, v3_key: str, v5_key: str, to_ms: float) -> float | None:
    raw = r.raw(v3_key) if r.has(v3_key) else r.raw(v5_key)
    r.raw(v5_key)  # consumed either way (not kept in extra)
    value = _non_negative(lenient_number(raw))
    return None if value is None else value * to_ms


@dataclass(frozen=True)
class ReplicationProgressList(Model):
    """SDK BatchListProgressesResponse."""

    count: int | None
    results: tuple[ReplicationProgress, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ReplicationProgressList:
        return cls(r.int("count"), r.objs("results", ReplicationProgress._read), extra=r.extra())


@dataclass(frozen=True)
class MonitorData(Model):
    """SDK ShowMonitorDataResponse: where the delay sits and whether both links are up."""

    src_delay: int | None = None  # unit: see MONITOR_DELAY_UNIT_MS
    dst_delay: int | None = None
    is_src_normal: bool | None = None
    is_dst_normal: bool | None = None
    src_rps: str | None = None
    dst_rps: str | None = None
    src_io: str | None = None
    dst_io: str | None = None
    apply_rate: int | None = None  # bytes/s
    src_offset: str | None = None
    node_offset: str | None = None
    dst_offset: str | None = None
    trans_data: str | None = None  # MB
    trans_lines: str | None = None
    used_cpu_percent: str | None = None
    used_memory: str | None = None  # MB
    used_volumes: str | None = None  # GB
    node_memory_size: int | None = None  # MB
    node_volume_size: int | None = None  # GB
    bandwidth: str | None = None  # MB/s
    update_time: datetime | None = None
    update_time_raw: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def source_lag_ms(self) -> float | None:
        return None if self.src_delay is None or self.src_delay < 0 else self.src_delay * MONITOR_DELAY_UNIT_MS

    @property
    def target_lag_ms(self) -> float | None:
        return None if self.dst_delay is None or self.dst_delay < 0 else self.dst_delay * MONITOR_DELAY_UNIT_MS

    @classmethod
    def _read(cls, r: Reader) -> MonitorData:
        updated, updated_raw = r.time("update_time")
        return cls(
            src_delay=r.int("src_delay"), dst_delay=r.int("dst_delay"),
            is_src_normal=r.bool("is_src_normal"), is_dst_normal=r.bool("is_dst_normal"),
            src_rps=r.str("src_rps"), dst_rps=r.str("dst_rps"), src_io=r.str("src_io"),
            dst_io=r.str("dst_io"), apply_rate=r.int("apply_rate"), src_offset=r.str("src_offset"),
            node_offset=r.str("node_offset"), dst_offset=r.str("dst_offset"),
            trans_data=r.str("trans_data"), trans_lines=r.str("trans_lines"),
            used_cpu_percent=r.str("used_cpu_percent"), used_memory=r.str("used_memory"),
            used_volumes=r.str("used_volumes"), node_memory_size=r.int("node_memory_size"),
            node_volume_size=r.int("node_volume_size"), bandwidth=r.str("bandwidth"),
            update_time=updated, update_time_raw=updated_raw, extra=r.extra(),
        )


@dataclass(frozen=True)
class RpoRtoInfo(Model):
    """SDK RpoAndRtoInfo."""

    check_point: str | None = None
    delay_raw: str | None = None
    gtid_set: str | None = None
    time_raw: str | None = None  # "yyyy-MM-dd HH:mm:ss", time zone not stated: kept as text
    extra: dict[str, Any] = extra_field()

    @property
    def delay_seconds(self) -> float | None:
        value = _non_negative(lenient_number(self.delay_raw))
        return None if value is None else value * RPO_RTO_DELAY_UNIT_MS / 1000

    @classmethod
    def _read(cls, r: Reader) -> RpoRtoInfo:
        return cls(r.str("check_point"), r.str("delay"), r.str("gtid_set"), r.str("time"),
                   extra=r.extra())


@dataclass(frozen=True)
class JobRpoRto(Model):
    """SDK QueryRpoAndRtoResp."""

    job_id: str | None = None
    rpo: RpoRtoInfo | None = None
    rto: RpoRtoInfo | None = None
    error_code: str | None = None
    error_msg: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> JobRpoRto:
        return cls(r.str("job_id"), r.obj_("rpo_info", RpoRtoInfo._read),
                   r.obj_("rto_info", RpoRtoInfo._read), r.str("error_code"), r.str("error_msg"),
                   extra=r.extra())


@dataclass(frozen=True)
class JobRpoRtoList(Model):
    """SDK BatchListRposAndRtosResponse."""

    count: int | None
    results: tuple[JobRpoRto, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> JobRpoRtoList:
        return cls(r.int("count"), r.objs("results", JobRpoRto._read), extra=r.extra())


DDL_ALARMING = 1


@dataclass(frozen=True)
class DdlAlarm(Model):
    """SDK DdlAlarmResp: one DDL seen on the source; status 1 = alarming (blocks a cutover)."""

    seqno: int | None = None
    checkpoint: str | None = None
    status: int | None = None
    ddl_timestamp: int | None = None
    ddl_text: str | None = None
    exe_result: bool | None = None  # applied on the target
    record_time: int | None = None
    clean_time: int | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def alarming(self) -> bool:
        return self.status == DDL_ALARMING

    @classmethod
    def _read(cls, r: Reader) -> DdlAlarm:
        return cls(r.int("seqno"), r.str("checkpoint"), r.int("status"), r.int("ddl_timestamp"),
                   r.str("ddl_text"), r.bool("exe_result"), r.int("record_time"),
                   r.int("clean_time"), extra=r.extra())


@dataclass(frozen=True)
class DdlAlarmList(Model):
    """SDK ListJobDdlsResponse."""

    count: int | None
    alarms: tuple[DdlAlarm, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> DdlAlarmList:
        return cls(r.int("count"), r.objs("ddl_list", DdlAlarm._read), extra=r.extra())
