"""Handlers for the replication endpoints: batch progress, monitor data, RPO/RTO, DDL alarms.

Shapes follow the official SDK's models (numbers in progress answers are strings, rates -1 until
incremental). The behaviour over time comes from :mod:`.lag`. Choices marked *(sim)*:

* batch calls refuse an empty, non-list or duplicated ``jobs`` and more than 100 ids *(sim: the
  API states no maximum)*; an unknown job is an error inside the 200 answer, as batch-status;
* RPO/RTO of a job that is not a disaster-recovery job is an error inside the answer *(sim)*;
* ``ddl`` takes ``offset`` ≥ 0, ``limit`` 1–100 (default 10), ``status`` 0/1 and the
  ``start_seq_no``/``end_seq_no`` range.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from .clock import epoch_millis
from .drs import NOT_FOUND, DrsContext, bad_request, ok
from .lag import DR_JOB_TYPE, FULL_TRANSFER_RATE, ReplicationScenario
from .messages import SimResponse
from .params import int_param
from .world import DrsJob

BATCH_MAX = 100
INCREMENTAL = "INCRE_TRANSFER_STARTED"
NOT_A_DR_JOB = "DRS.10000001"


def _scenario(ctx: DrsContext, job: DrsJob) -> ReplicationScenario:
    return ctx.world.replication[job.id]


def _batch_ids(ctx: DrsContext) -> list[str]:
    ids = ctx.body().get("jobs")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise bad_request("Invalid parameter: jobs must be a non-empty list of job IDs.")
    if len(set(ids)) != len(ids):
        raise bad_request("Invalid parameter: jobs must be unique.")
    if len(ids) > BATCH_MAX:
        raise bad_request(f"Invalid parameter: at most {BATCH_MAX} jobs per request.")
    return ids


def _unknown(job_id: str) -> dict[str, str]:
    return {"job_id": job_id, "error_code": NOT_FOUND, "error_msg": "Job does not exist, please check job ID."}


def _utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _full_percent(job: DrsJob, now: float) -> float:
    return min(99.0, 40.0 + (now - job.create_time) * FULL_TRANSFER_RATE % 59)


def progress_entry(ctx: DrsContext, job: DrsJob) -> dict[str, Any]:
    scenario, now = _scenario(ctx, job), ctx.now
    figures_at = scenario.figures_time(now)
    entry: dict[str, Any] = {"job_id": job.id, "task_mode": job.task_type, "transfer_status": job.status,
                             "process_time": str(epoch_millis(figures_at))}
    if job.status == INCREMENTAL:
        source, target = scenario.lag_ms(now)
        delay = source + target
        entry.update(progress="100", incre_trans_delay=str(round(delay / 1000)),
                     incre_trans_delay_millis=str(round(delay)), remaining_time="0",
                     apply_rows_rate=round(300 + 200 * scenario._noise(figures_at, "rps")),
                     apply_bytes_rate=round(60000 + 40000 * scenario._noise(figures_at, "bps")))
        phases = {name: {"completed": "100", "remaining_time": "0"} for name in ("structure", "data", "index")}
    else:
        percent = _full_percent(job, figures_at) if job.status.startswith("FULL") else 0.0
        remaining = round((100 - percent) / FULL_TRANSFER_RATE) if job.status.startswith("FULL") else -1
        entry.update(progress=str(round(percent)), incre_trans_delay="-", incre_trans_delay_millis="",
                     remaining_time=str(remaining), apply_rows_rate=-1, apply_bytes_rate=-1)
        phases = {"structure": {"completed": "100", "remaining_time": "0"},
                  "data": {"completed": str(round(percent)), "remaining_time": str(remaining)}}
    entry["progress_map"] = phases
    if job.error_code:
        entry.update(error_code=job.error_code, error_msg=job.error_message)
    return entry


def batch_progress(ctx: DrsContext) -> SimResponse:
    results = []
    for job_id in _batch_ids(ctx):
        job = ctx.project.jobs.get(job_id)
        results.append(_unknown(job_id) if job is None else progress_entry(ctx, job))
    return ok({"count": len(results), "results": results})


def monitor_data(ctx: DrsContext) -> SimResponse:
    job = ctx.job()
    scenario, now = _scenario(ctx, job), ctx.now
    figures_at = scenario.figures_time(now)
    incremental = job.status == INCREMENTAL
    source, target = scenario.lag_ms(now) if incremental else (0.0, 0.0)
    src_ok, dst_ok = scenario.links(now)
    if job.status.endswith("FAILED"):
        dst_ok = False
    noise = scenario._noise
    return ok({
        "bandwidth": "10", "is_src_normal": src_ok, "is_dst_normal": dst_ok,
        "src_offset": f"mysql-bin.000031:{int(figures_at) % 100000}",
        "node_offset": f"mysql-bin.000031:{int(figures_at - source / 1000) % 100000}",
        "dst_offset": f"mysql-bin.000031:{int(figures_at - (source + target) / 1000) % 100000}",
        "src_delay": round(source / 1000), "dst_delay": round(target / 1000),
        "src_rps": str(round(300 + 200 * noise(figures_at, "rps"))), "src_io": str(round(100 + 50 * noise(figures_at, "io"))),
        "dst_rps": str(round(280 + 200 * noise(figures_at, "rps"))) if dst_ok else "0",
        "dst_io": str(round(90 + 50 * noise(figures_at, "io"))) if dst_ok else "0",
        "trans_data": str(round((figures_at - job.create_time) / 60)),
        "trans_lines": str(sum(t.rows for t in job.tables)),
        "used_volumes": "12", "used_memory": "2048", "used_cpu_percent": str(round(20 + 30 * noise(figures_at, "cpu"))),
        "node_volume_size": 100, "node_memory_size": 8192,
        "update_time": _utc(figures_at),
        "apply_rate": round(60000 + 40000 * noise(figures_at, "bps")) if dst_ok and incremental else 0,
    })


def batch_rpo_rto(ctx: DrsContext) -> SimResponse:
    results: list[dict[str, Any]] = []
    for job_id in _batch_ids(ctx):
        job = ctx.project.jobs.get(job_id)
        if job is None:
            results.append(_unknown(job_id))
        elif job.job_type != DR_JOB_TYPE:
            results.append({"job_id": job_id, "error_code": NOT_A_DR_JOB,
                            "error_msg": "The job is not a disaster recovery job."})
        else:
            results.append(_rpo_rto(ctx, job))
    return ok({"count": len(results), "results": results})


def _rpo_rto(ctx: DrsContext, job: DrsJob) -> dict[str, Any]:
    scenario = _scenario(ctx, job)
    at = scenario.figures_time(ctx.now)
    rpo, rto = scenario.rpo_rto_seconds(ctx.now)
    gtid = "3e11fa47-71ca-11e1-9e33-c80aa9429562"

    def info(delay: int) -> dict[str, str]:
        stamp = datetime.fromtimestamp(at - delay, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        return {"check_point": f"mysql-bin.000031:{int(at - delay) % 100000}", "delay": str(delay),
                "gtid_set": f"{gtid}:1-{int(at - delay) % 100000}", "time": stamp}

    return {"job_id": job.id, "rpo_info": info(rpo), "rto_info": info(rto)}


def job_ddls(ctx: DrsContext) -> SimResponse:
    job = ctx.job()
    q = ctx.query
    offset = int_param(q, "offset", 0, 0, None, bad_request)
    limit = int_param(q, "limit", 10, 1, 100, bad_request)
    status = q.get("status")
    if status not in (None, "", "0", "1"):
        raise bad_request("Invalid parameter: status must be 0 or 1.")
    low = int_param(q, "start_seq_no", 0, 0, None, bad_request)
    high = int_param(q, "end_seq_no", 2**63 - 1, 0, None, bad_request)
    ddls = [d for d in _scenario(ctx, job).ddls
            if (status in (None, "") or d["status"] == int(status)) and low <= d["seqno"] <= high]
    ddls.sort(key=lambda d: d["seqno"], reverse=True)
    return ok({"count": len(ddls), "ddl_list": ddls[offset:offset + limit]})
