"""DRS comparison handlers: creating and cancelling comparisons, object-level and health
comparisons (v3/v5). Rules in :mod:`.drs`."""

from __future__ import annotations

from typing import Any

from .clock import iso_utc
from .drs import (DETAIL_OBJECT_TYPES, FAILED, NOT_FOUND, DrsContext, bad_request, object_type_status, ok,
                  task_not_found)
from .messages import SimError, SimResponse
from .params import page
from .world import Comparison, DrsJob, HealthCompare


# ---------------------------------------------------------------------------------------------
# creating and cancelling comparisons

def create_compare_task(ctx: DrsContext) -> SimResponse:
    body = ctx.body()
    job_id = body.get("job_id")
    if not isinstance(job_id, str) or not job_id:
        raise bad_request("Missing parameter: job_id.")
    job = ctx.job(job_id)
    object_type = body.get("object_level_compare_type")
    data_info = body.get("data_level_compare_info")
    if object_type not in (None, "", "objects"):
        raise bad_request("Invalid parameter: object_level_compare_type must be objects.")
    if data_info is not None:
        _validate_data_level(data_info)
    if job.mode_role == "parent":
        raise bad_request("A parent job of a multi-task job cannot create comparisons; "
                          "create them on its child jobs.")
    if job.status != "INCRE_TRANSFER_STARTED":
        raise bad_request("The job is not in the incremental transfer state (INCRE_TRANSFER_STARTED); "
                          "a comparison cannot be created.")
    now = ctx.now
    answer: dict[str, Any] = {"job_id": job.id}
    wants_contents = data_info is not None and data_info["compare_type"] == "contents"
    if object_type == "objects":
        if job.unfinished(["contents"], now):
            answer["object_level_compare_create_result"] = _create_error(
                "A value comparison is running; object-level and value comparisons cannot run at the same time.")
        else:
            created = ctx.world.add_comparison(job, "object", now)
            answer["object_level_compare_create_result"] = {"compare_task_id": created.id}
    if data_info is not None:
        answer["data_level_compare_create_result"] = _create_data_level(ctx, job, data_info, now,
                                                                        object_requested=object_type == "objects"
                                                                        and wants_contents)
    return ok(answer)


def _validate_data_level(info: Any) -> None:
    if not isinstance(info, dict):
        raise bad_request("Invalid parameter: data_level_compare_info.")
    if info.get("conflict_policy") not in ("keep", "cancel"):
        raise bad_request("Invalid parameter: conflict_policy must be keep or cancel.")
    if info.get("compare_type") not in ("lines", "contents"):
        raise bad_request("Invalid parameter: compare_type must be lines or contents.")
    if info.get("compare_mode") not in (None, "", "quick_comparison"):
        raise bad_request("Invalid parameter: compare_mode.")
    objects = info.get("compare_object_infos")
    with_token = info.get("compare_object_infos_with_token")
    if info.get("compare_mode") != "quick_comparison" and not objects and not with_token:
        raise bad_request("Invalid parameter: compare_object_infos is required.")
    for item in objects or []:
        if not isinstance(item, dict) or not isinstance(item.get("db_name"), str) or not item["db_name"]:
            raise bad_request("Invalid parameter: compare_object_infos[].db_name is required.")
        tables = item.get("table_name")
        if tables is not None and not (isinstance(tables, list) and all(isinstance(t, str) for t in tables)):
            raise bad_request("Invalid parameter: compare_object_infos[].table_name must be a list of strings.")


def _create_error(message: str) -> dict[str, str]:
    return {"error_code": FAILED, "error_msg": message}


def _create_data_level(ctx: DrsContext, job: DrsJob, info: dict[str, Any], now: float,
                       object_requested: bool) -> dict[str, str]:
    kind = info["compare_type"]
    if kind == "contents" and (object_requested or job.unfinished(["object"], now)):
        return _create_error("An object-level comparison is running; object-level and value comparisons "
                             "cannot run at the same time.")
    unfinished = job.unfinished(["lines", "contents"], now)
    if unfinished and info["conflict_policy"] == "keep":
        return _create_error(f"An unfinished data-level comparison ({unfinished[-1].id}) exists and "
                             "conflict_policy is keep.")
    for old in unfinished:
        old.timeline.cancelled_at = now
    created = ctx.world.add_comparison(job, kind, now)
    _restrict_tables(created, info.get("compare_object_infos"))
    return {"compare_task_id": created.id}


def _restrict_tables(comparison: Comparison, objects: list[dict] | None) -> None:
    """Compare only the requested databases/tables (names the job does not have are ignored)."""
    if not objects:
        return
    wanted = {(o["db_name"], t) for o in objects for t in (o.get("table_name") or ["*"])}
    keep = [r for r in comparison.tables
            if (r.table.db, r.table.name) in wanted or (r.table.db, "*") in wanted]
    if keep:
        comparison.tables = keep


def cancel_compare(ctx: DrsContext) -> SimResponse:
    job = ctx.job()
    comparison = job.comparison(ctx.params["compare_job_id"])
    if comparison is None:
        raise task_not_found()
    if comparison.timeline.is_finished(ctx.now):
        raise bad_request("The comparison has already finished and cannot be cancelled.")
    comparison.timeline.cancelled_at = ctx.now
    return ok({})


# ---------------------------------------------------------------------------------------------
# object-level comparison

def _overview_entries(comparison: Comparison | HealthCompare, done_units: int) -> list[dict[str, Any]]:
    entries = []
    for index, result in enumerate(comparison.types):
        status = object_type_status(comparison, index, done_units)
        entries.append({"type": result.object_type, "status": status, "source_count": result.source_count,
                        "target_count": result.target_count if status != 3 else 0})
    return entries


def object_compare_overview(ctx: DrsContext) -> SimResponse:
    job = ctx.job()
    comparison = job.latest("object")
    if comparison is None:
        raise SimError(400, NOT_FOUND, "No object-level comparison exists for this job.")
    now = ctx.now
    export = comparison.export
    answer = {
        "status": comparison.status(now),
        "create_time": iso_utc(comparison.timeline.created_at),
        "compare_result": _overview_entries(comparison, comparison.finished_units(now)),
        "start_time": iso_utc(comparison.timeline.start_at) if now >= comparison.timeline.start_at else "",
        "export_status": export.status(now) if export else "INIT",
        "report_remain_seconds": export.remain_seconds(now) if export else -1,
        "compare_job_id": comparison.id,
    }
    if comparison.status(now) in ("FAILED", "TIMEOUT_INTERRUPT"):
        answer["error_msg"] = "The comparison stopped before all object types were compared."
    return ok(answer)


def object_compare_detail(ctx: DrsContext) -> SimResponse:
    job = ctx.job()
    object_type = ctx.params["compare_type"]
    if object_type not in DETAIL_OBJECT_TYPES:
        raise bad_request("Invalid parameter: compare_type.")
    limit, offset = ctx.limit_offset()
    compare_id = ctx.query.get("compare_job_id")
    comparison = job.comparison(compare_id) if compare_id else job.latest("object")
    if comparison is None or comparison.kind != "object":
        raise task_not_found()
    done = comparison.finished_units(ctx.now)
    rows = []
    for index, result in enumerate(comparison.types):
        if result.object_type != object_type:
            continue
        finished = index < done
        for row in result.rows:
            rows.append({"source_db_name": row.source_db, "target_db_name": row.target_db,
                         "source_db_value": row.source_value, "target_db_value": row.target_value,
                         "status": (2 if row.consistent else 0) if finished else 3, "error_message": ""})
    return ok({"count": len(rows), "compare_detail": page(rows, offset, limit)})


# ---------------------------------------------------------------------------------------------
# health comparisons and progress (v5)

def _health(ctx: DrsContext) -> tuple[DrsJob, HealthCompare]:
    job = ctx.job()
    found = next((h for h in job.health_compares if h.id == ctx.params["compare_job_id"]), None)
    if found is None:
        raise task_not_found()
    return job, found


def _health_row(health: HealthCompare, now: float) -> dict[str, Any]:
    finished = health.timeline.finished_at(now)
    return {"id": health.id, "type": health.type, "status": health.timeline.status(now),
            "start_time": iso_utc(health.timeline.start_at),
            "end_time": iso_utc(finished) if finished is not None else ""}


def health_compare_jobs(ctx: DrsContext) -> SimResponse:
    job = ctx.job()
    limit, offset = ctx.limit_offset(default_limit=10)
    wanted = ctx.query.get("status")
    rows = [{**_health_row(h, ctx.now), "compute_type": h.compute_type} for h in job.health_compares]
    if wanted:
        rows = [r for r in rows if r["status"] == wanted]
    return ok({"count": len(rows), "compare_jobs": page(rows, offset, limit)})


def health_compare_detail(ctx: DrsContext) -> SimResponse:
    job, health = _health(ctx)
    return ok({**_health_row(health, ctx.now), "job_name": job.name})


def health_object_overview(ctx: DrsContext) -> SimResponse:
    _, health = _health(ctx)
    done = len(health.types) if health.timeline.status(ctx.now) == "SUCCESSFUL" else \
        int(health.timeline.progress(ctx.now) * len(health.types))
    return ok({"compare_result": _overview_entries(health, done)})
