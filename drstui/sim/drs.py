"""Handlers for the DRS endpoints drstui uses (drs.md §5, §6). Shapes follow tests/data/fixtures.

Business errors are HTTP 400 with ``{"error_code": "DRS.xxxxxxxx", "error_msg": ...}``; unknown
jobs and comparisons are ``DRS.10000010`` as documented. Other rule violations (bad paging,
invalid body, wrong job state, export not ready) use the generic documented code
``DRS.10000001`` with a message saying what was wrong.

Rules the simulator enforces, choices marked *(sim)* where the docs leave room:

* comparisons only while the job is ``INCRE_TRANSFER_STARTED`` (400 otherwise), and never on
  the parent of a multi-task job (its children own the comparisons, see :mod:`.family`);
* one unfinished data-level comparison per job: ``conflict_policy=keep`` → HTTP 200 with the error
  inside ``data_level_compare_create_result`` and no new task; ``cancel`` → the old one becomes
  ``CANCELLED`` and a new one is created;
* object-level and value (``contents``) comparisons never run at the same time *(sim: the
  request is answered 200 with the conflicting part's error inside its ``*_create_result``; when
  both are requested in one call the object comparison is created and the value comparison is
  refused)*; object-level + ``lines`` is fine;
* ``Region`` header mandatory on the export POST (400 ``DRS.10000001``);
* ``compare_job_id`` required to export/download ``contents``/``lines``/``random``;
* ``job_type`` required on the v5 job list, one of :data:`V5_JOB_TYPES` (the official SDK sends
  it on every call).

The downloaded result file is a real minimal ``.xlsx`` (see :mod:`.xlsx`): a "Summary" sheet and
an "Objects" or "Tables" sheet, served as ``application/octet-stream`` with
``Content-Disposition: attachment; filename="{job_id}-{compare_type}-{compare_job_id}.xlsx"``.
"""

from __future__ import annotations

import math
import urllib.parse
import random
from dataclasses import dataclass
from typing import Any, Callable

from .clock import epoch_millis, iso_utc
from .messages import SimError, SimRequest, SimResponse, json_response, parse_json_body
from .params import body_int, int_param, page
from .world import Comparison, DrsJob, HealthCompare, Project, TableResult, World
from .xlsx import build_xlsx

NOT_FOUND = "DRS.10000010"
FAILED = "DRS.10000001"
DETAIL_OBJECT_TYPES = ("DB", "TABLE", "VIEW", "EVENT", "ROUTINE", "INDEX", "TRIGGER", "SYNONYM", "FUNCTION",
                       "PROCEDURE", "TYPE", "RULE", "DEFAULT_TYPE", "PLAN_GUIDE", "CONSTRAINT", "FILE_GROUP",
                       "PARTITION_FUNCTION", "PARTITION_SCHEME", "TABLE_COLLATION")
EXPORT_TYPES = {"contents": "contents", "lines": "lines", "random": "random", "objects_comparison": "object",
                "repair_data": "repair"}
V5_JOB_TYPES = ("migration", "sync", "cloudDataGuard", "replay")
LIST_TYPE_NAMES = {"object": "object_comparison", "lines": "lines", "contents": "contents"}
RESULT_STRINGS = {0: "INCONSISTENT", 2: "CONSISTENT", 22: "TARGET_DB_NOT_EXIT", 5: "COMPARING",
                  6: "WAITING_FOR_COMPARISON", 4: "FAILED_TO_COMPARE", 7: "CAN_NOT_COMPARE", 27: "FAILED_TO_COMPARE"}


def bad_request(message: str) -> SimError:
    return SimError(400, FAILED, message)


def job_not_found() -> SimError:
    return SimError(400, NOT_FOUND, "Job does not exist, please check job ID.")


def task_not_found() -> SimError:
    return SimError(400, NOT_FOUND, "Task not found. Check the task ID.")


@dataclass
class DrsContext:
    world: World
    project: Project
    request: SimRequest
    params: dict[str, str]

    @property
    def now(self) -> float:
        return self.world.now()

    @property
    def query(self) -> dict[str, str]:
        return self.request.query_dict()

    def job(self, job_id: str | None = None) -> DrsJob:
        job = self.project.jobs.get(job_id or self.params["job_id"])
        if job is None:
            raise job_not_found()
        return job

    def body(self) -> dict[str, Any]:
        return parse_json_body(self.request, bad_request("Invalid request body: a JSON object is required."))

    def limit_offset(self, default_limit: int = 1000, max_limit: int = 1000) -> tuple[int, int]:
        q = self.query
        return (int_param(q, "limit", default_limit, 1, max_limit, bad_request),
                int_param(q, "offset", 0, 0, None, bad_request))


def ok(payload: Any) -> SimResponse:
    return json_response(200, payload)


# ---------------------------------------------------------------------------------------------
# jobs

def _job_action(job: DrsJob) -> dict[str, Any]:
    running = job.status in ("INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED")
    available = ["PAUSE", "FREE_RESOURCE", "CHANGE"] if running else ["START", "RETRY", "DELETE"]
    unavailable = ["START", "RETRY", "DELETE"] if running else ["PAUSE", "CHANGE"]
    return {"available_actions": available, "unavailable_actions": unavailable, "current_action": ""}


def _job_v5(job: DrsJob) -> dict[str, Any]:
    return {
        "id": job.id, "name": job.name, "status": job.status, "description": job.description,
        "create_time": str(epoch_millis(job.create_time)), "engine_type": job.engine.engine_type,
        "net_type": job.net_type, "charging_mode": "on_demand", "billing_tag": True, "job_direction": "up",
        "job_type": job.job_type, "task_type": job.task_type, "enterprise_project_id": "0",
        "job_mode": "sync_child" if job.mode_role else "single", "job_mode_role": job.mode_role,
        "is_multi_az": False, "node_role": "", "node_new_framework": True, "job_action": _job_action(job),
        "children": [{k: v for k, v in _job_v5(c).items() if k != "children"} for c in job.children],
    }


def _job_v3(job: DrsJob) -> dict[str, Any]:
    return {
        "id": job.id, "name": job.name, "status": job.status, "create_time": str(epoch_millis(job.create_time)),
        "description": job.description, "engine_type": job.engine.engine_type, "net_type": job.net_type,
        "billing_tag": True, "job_direction": "up", "db_use_type": job.job_type, "task_type": job.task_type,
        "children": [_child_v3(c) for c in job.children], "node_newFramework": True,
        "job_action": _job_action(job),
    }


def _child_v3(job: DrsJob) -> dict[str, Any]:
    """ChildrenJobInfo: the v3 list's child entry (node_new_framework in snake case here)."""
    entry = {k: v for k, v in _job_v3(job).items() if k not in ("children", "node_newFramework")}
    return {**entry, "node_new_framework": True, "error_msg": job.error_message}


def _sorted_jobs(jobs: list[DrsJob], key: str, direction: str) -> list[DrsJob]:
    getters: dict[str, Callable[[DrsJob], Any]] = {
        "name": lambda j: j.name, "status": lambda j: j.status, "create_time": lambda j: j.create_time,
        "net_type": lambda j: j.net_type, "job_direction": lambda j: "up", "pay_mode": lambda j: "on_demand",
    }
    if key not in getters:
        raise bad_request("Invalid parameter: sort_key.")
    if direction not in ("asc", "desc"):
        raise bad_request("Invalid parameter: sort_dir.")
    return sorted(jobs, key=lambda j: (getters[key](j), j.id), reverse=direction == "desc")


def _name_filter(jobs: list[DrsJob], name: str | None) -> list[DrsJob]:
    if not name:
        return jobs
    wanted = [n.strip() for n in name.split(",") if n.strip()]
    return [j for j in jobs if j.id in wanted or any(w in j.name for w in wanted)]


def _listed(ctx: DrsContext) -> list[DrsJob]:
    """Child jobs are listed inside their parent's ``children[]``, not on their own."""
    return [j for j in ctx.project.jobs.values() if j.parent_id is None]


def list_jobs_v5(ctx: DrsContext) -> SimResponse:
    q = ctx.query
    if not q.get("job_type"):
        raise bad_request("Missing parameter: job_type is required.")
    if q["job_type"] not in V5_JOB_TYPES:
        raise bad_request("Invalid parameter: job_type.")
    jobs = _listed(ctx)
    jobs = _name_filter(jobs, q.get("name"))
    for field_name, attr in (("status", "status"), ("job_type", "job_type"), ("net_type", "net_type")):
        if q.get(field_name):
            jobs = [j for j in jobs if getattr(j, attr) == q[field_name]]
    if q.get("engine_type"):
        jobs = [j for j in jobs if j.engine.engine_type == q["engine_type"]]
    if q.get("instance_ip"):
        jobs = [j for j in jobs if j.source_ip == q["instance_ip"]]
    jobs = _sorted_jobs(jobs, q.get("sort_key") or "create_time", q.get("sort_dir") or "desc")
    limit, offset = ctx.limit_offset(default_limit=10)
    return ok({"total_count": len(jobs), "jobs": [_job_v5(j) for j in page(jobs, offset, limit)]})


def list_jobs_v3(ctx: DrsContext) -> SimResponse:
    """``POST /v3/{project_id}/jobs``: ``cur_page`` (0 = all), ``per_page`` 0–100 default 10."""
    body = ctx.body()
    per_page = body_int(body, "per_page", 10, 0, 100, bad_request)
    cur_page = body_int(body, "cur_page", 1, 0, None, bad_request)
    jobs = _listed(ctx)
    jobs = _name_filter(jobs, body.get("name"))
    if body.get("db_use_type"):
        jobs = [j for j in jobs if j.job_type == body["db_use_type"]]
    if body.get("status"):
        jobs = [j for j in jobs if j.status == body["status"]]
    if body.get("engine_type"):
        # v3 engine names are the source engine ("mysql") or the full pair; accept both.
        jobs = [j for j in jobs if body["engine_type"] in (j.engine.engine_type, j.engine.source_db)]
    jobs = _sorted_jobs(jobs, "create_time", "desc")
    if per_page == 0 or cur_page == 0:
        if per_page == 0 and cur_page > 1:
            raise bad_request("Invalid parameter: cur_page must be 0 or 1 when per_page is 0.")
        shown = jobs
    else:
        shown = page(jobs, (cur_page - 1) * per_page, per_page)
    return ok({"total_record": len(jobs), "jobs": [_job_v3(j) for j in shown]})


def job_detail_v5(ctx: DrsContext) -> SimResponse:
    job = ctx.job()
    world = ctx.world
    detail: dict[str, Any] = {
        "id": job.id, "status": job.status, "create_time": str(epoch_millis(job.create_time)),
        "base_info": {
            "name": job.name, "job_type": job.job_type, "engine_type": job.engine.engine_type,
            "job_direction": "up", "task_type": job.task_type, "net_type": job.net_type,
            "charging_mode": "on_demand", "enterprise_project_id": "0", "description": job.description,
            "tags": [{"key": "team", "value": "dba"}],
        },
        "source_endpoint": [{
            "db_type": job.engine.source_db, "endpoint_type": "offline", "endpoint_role": "so",
            "endpoint": {"id": world.new_uuid(_id_rng(job, "src")), "endpoint_name": job.engine.source_db,
                         "ip": job.source_ip, "db_port": "3306", "db_user": "root"},
        }],
        "target_endpoint": [{
            "db_type": job.engine.target_db, "endpoint_type": "cloud", "endpoint_role": "ta",
            "endpoint": {"id": world.new_uuid(_id_rng(job, "dst")), "endpoint_name": f"cloud_{job.engine.target_db}",
                         "instance_id": _id_rng(job, "inst").getrandbits(128).to_bytes(16, "big").hex() + "in01",
                         "instance_name": f"rds-{job.databases[0]}"},
            "cloud": {"region": world.settings.region, "project_id": ctx.project.id,
                      "az_code": f"{world.settings.region}a"},
        }],
        "progress_info": {
            "progress": "100" if job.status.startswith("INCRE") else "42",
            "incr_trans_delay": "0", "incr_trans_delay_millis": "120", "task_mode": job.task_type,
            "transfer_status": job.status, "process_time": str(int(ctx.now - job.create_time)),
            "remaining_time": "0",
        },
        "task_version": "2.0",
        "sync_mode": "DB_LEVEL",
    }
    return ok({"job": detail})


def _id_rng(job: DrsJob, purpose: str) -> random.Random:
    """Stable ids for a job's endpoints, independent of request order."""
    return random.Random(f"{job.id}/{purpose}")


def batch_status(ctx: DrsContext) -> SimResponse:
    """``page_req`` per_page 0–100 (default 5, 0 = all, then cur_page 0 or 1); cur_page ≤ pages."""
    body = ctx.body()
    ids = body.get("jobs")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise bad_request("Invalid parameter: jobs must be a non-empty list of job IDs.")
    if len(set(ids)) != len(ids):
        raise bad_request("Invalid parameter: jobs must be unique.")
    page_req = body.get("page_req") or {}
    if not isinstance(page_req, dict):
        raise bad_request("Invalid parameter: page_req.")
    per_page = body_int(page_req, "per_page", 5, 0, 100, bad_request)
    cur_page = body_int(page_req, "cur_page", 1, 0, None, bad_request)
    if per_page == 0:
        if cur_page > 1:
            raise bad_request("Invalid parameter: cur_page must be 0 or 1 when per_page is 0.")
        shown = ids
    else:
        if cur_page == 0 or cur_page > math.ceil(len(ids) / per_page):
            raise bad_request("Invalid parameter: cur_page out of range.")
        shown = page(ids, (cur_page - 1) * per_page, per_page)
    results = []
    for job_id in shown:
        job = ctx.project.jobs.get(job_id)
        if job is None:
            results.append({"id": job_id, "error_code": NOT_FOUND,
                            "error_message": "Job does not exist, please check job ID."})
            continue
        item = {"id": job.id, "status": job.status}
        if job.error_code:
            item.update(error_code=job.error_code, error_message=job.error_message)
        results.append(item)
    return ok({"results": results, "count": len(results)})


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

def _type_status(comparison: Comparison | HealthCompare, index: int, done_units: int) -> int:
    if index >= done_units:
        return 3
    return 2 if comparison.types[index].consistent else 0


def _overview_entries(comparison: Comparison | HealthCompare, done_units: int) -> list[dict[str, Any]]:
    entries = []
    for index, result in enumerate(comparison.types):
        status = _type_status(comparison, index, done_units)
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
# data-level comparisons (rows = "lines", values = "contents")

def _data_comparison(ctx: DrsContext) -> Comparison:
    job = ctx.job()
    comparison = job.comparison(ctx.params["compare_job_id"])
    if comparison is None or comparison.kind not in ("lines", "contents"):
        raise task_not_found()
    return comparison


def _table_status(comparison: Comparison, index: int, now: float) -> int:
    """§4.6 code of one table at ``now``: its final result once done, else comparing/waiting/stopped."""
    done = comparison.finished_units(now)
    if index < done:
        return comparison.tables[index].final_status
    status = comparison.status(now)
    if status == "CANCELLED":
        return 7
    if status == "FAILED":
        return 4
    if status == "TIMEOUT_INTERRUPT":
        return 27
    if status == "RUNNING" and index == done:
        return 5
    return 6


def _db_groups(comparison: Comparison) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for index, result in enumerate(comparison.tables):
        groups.setdefault(result.table.db, []).append(index)
    return groups


def _db_summary(comparison: Comparison, indexes: list[int], now: float) -> dict[str, int]:
    statuses = [_table_status(comparison, i, now) for i in indexes]
    finished = [s for s in statuses if s not in (5, 6)]
    if all(s == 22 for s in statuses):
        db_status = 22
    elif any(s in (5, 6) for s in statuses):
        db_status = 5 if any(s == 5 for s in statuses) or finished else 6
    elif any(s == 0 for s in statuses):
        db_status = 0
    elif any(s in (4, 7, 27) for s in statuses):
        db_status = next(s for s in statuses if s in (4, 7, 27))
    else:
        db_status = 2
    return {
        "status": db_status,
        "compare_num": len(indexes),
        "compare_end_num": len(finished),
        "data_inconsistent_num": sum(1 for s in statuses if s == 0),
        "uncomparable_num": sum(1 for s in statuses if s in (22, 3, 12, 13, 11)),
    }


def line_overview(ctx: DrsContext) -> SimResponse:
    comparison = _data_comparison(ctx)
    limit, offset = ctx.limit_offset()
    status_filter = int_param(ctx.query, "status", -1, 0, None, bad_request) if ctx.query.get("status") else None
    rows = []
    for db, indexes in _db_groups(comparison).items():
        summary = _db_summary(comparison, indexes, ctx.now)
        if status_filter is None or summary["status"] == status_filter:
            rows.append({"source_db_name": db, "target_db_name": db, **summary})
    return ok({"total_count": len(rows), "data_compare_overview_infos": page(rows, offset, limit)})


def _table_filter(ctx: DrsContext, comparison: Comparison) -> list[tuple[int, TableResult]]:
    q = ctx.query
    kind = q.get("type") or "compare"
    if kind not in ("compare", "unCompare"):
        raise bad_request("Invalid parameter: type must be compare or unCompare.")
    chosen = []
    for index, result in enumerate(comparison.tables):
        uncomparable = result.final_status == 22
        if (kind == "unCompare") != uncomparable:
            continue
        if q.get("db_name") and result.table.db != q["db_name"]:
            continue
        if q.get("target_db_name") and result.table.db != q["target_db_name"]:
            continue
        if q.get("query_tb_name") and q["query_tb_name"] not in result.table.name:
            continue
        chosen.append((index, result))
    return chosen


def line_detail(ctx: DrsContext) -> SimResponse:
    comparison = _data_comparison(ctx)
    limit, offset = ctx.limit_offset()
    status_filter = int_param(ctx.query, "status", -1, 0, None, bad_request) if ctx.query.get("status") else None
    rows = []
    for index, result in _table_filter(ctx, comparison):
        status = _table_status(comparison, index, ctx.now)
        if status_filter is not None and status != status_filter:
            continue
        done = status not in (5, 6)
        rows.append({
            "source_table_name": result.table.name, "source_row_num": result.table.rows,
            "target_table_name": result.table.name, "target_row_num": result.target_rows if done else 0,
            "difference_row_num": result.row_diff if done else 0, "status": status,
            "compare_line_config_filter": "",
        })
    return ok({"total_count": len(rows), "table_line_compare_result_infos": page(rows, offset, limit)})


def content_overview(ctx: DrsContext) -> SimResponse:
    comparison = _data_comparison(ctx)
    limit, offset = ctx.limit_offset()
    rows = [{"source_db": db, "target_db": db, **_db_summary(comparison, indexes, ctx.now)}
            for db, indexes in _db_groups(comparison).items()]
    return ok({"total_count": len(rows), "content_compare_result_infos": page(rows, offset, limit)})


def content_detail(ctx: DrsContext) -> SimResponse:
    comparison = _data_comparison(ctx)
    limit, offset = ctx.limit_offset()
    now = ctx.now
    progress = comparison.timeline.progress(now) * len(comparison.tables)
    rows = []
    for index, result in _table_filter(ctx, comparison):
        status = _table_status(comparison, index, now)
        done = status not in (5, 6)
        # NodeContentCompareDetailResult.status: 1 comparing, 2 finished, 3 waiting, 4 cancelled.
        phase = 1 if status == 5 else 3 if status == 6 else 4 if status == 7 else 2
        shards = 4 if result.table.rows > 1000 else 2
        fraction = 1.0 if done else max(0.0, min(1.0, progress - index)) if status == 5 else 0.0
        rows.append({
            "source_db": result.table.db, "target_db": result.table.db,
            "source_table_name": result.table.name, "target_table_name": result.table.name,
            "source_row_num": result.table.rows, "target_row_num": result.target_rows if done else 0,
            "difference_row_num": (result.row_diff + (0 if result.row_diff else result.value_diffs)) if done else 0,
            "line_compare_result": done and result.row_diff == 0 and result.final_status != 22,
            "content_compare_result": done and result.final_status == 2,
            "message": "", "compare_line_config_filter": "", "status": phase,
            "complete_shard_count": int(shards * fraction), "total_shard_count": shards,
            "progress": round(fraction * 100, 1),
        })
    return ok({"total_count": len(rows), "content_compare_result_infos": page(rows, offset, limit)})


def content_difference(ctx: DrsContext) -> SimResponse:
    comparison = _data_comparison(ctx)
    limit, offset = ctx.limit_offset()
    q = ctx.query
    done = comparison.finished_units(ctx.now)
    infos = []
    only_source = only_target = both = 0
    for index, result in enumerate(comparison.tables[:done]):
        if result.final_status != 0:
            continue
        if q.get("table_name") and result.table.name != q["table_name"]:
            continue
        if q.get("db_name") and result.table.db != q["db_name"]:
            continue
        total = max(result.row_diff, result.value_diffs)
        for n in range(total):
            key = str(1000 + index * 100 + n)
            side = _difference_side(result, n, total)
            only_source += side == "source"
            only_target += side == "target"
            both += side == "both"
            sql = f"SELECT * FROM `{result.table.db}`.`{result.table.name}` WHERE id = {key}"
            infos.append({
                "source_key_value": [] if side == "target" else [key],
                "target_key_value": [] if side == "source" else [key],
                "select_sql": sql, "target_select_sql": sql,
            })
    return ok({"count": len(infos), "target_meta_is_null": only_source, "source_meta_is_null": only_target,
               "source_target_meta_not_null": both, "contents_infos": page(infos, offset, limit)})


def _difference_side(result: TableResult, n: int, total: int) -> str:
    """Where differing row ``n`` of a table exists: "source", "target" or "both" (values differ).
    Missing rows are on the short side; of equal-sized tables with three or more differing rows,
    the last two are a key present only in the source and one only in the target."""
    if n < result.row_diff:
        return "source" if result.target_rows < result.table.rows else "target"
    if result.row_diff == 0 and total >= 3 and n >= total - 2:
        return "source" if n == total - 2 else "target"
    return "both"


def table_compare_jobs(ctx: DrsContext) -> SimResponse:
    job = ctx.job()
    limit, offset = ctx.limit_offset()
    now = ctx.now
    rows = []
    for comparison in job.comparisons:
        if comparison.kind not in ("lines", "contents"):
            continue
        finished = comparison.timeline.finished_at(now)
        started = now >= comparison.timeline.start_at
        rows.append({
            "id": comparison.id, "type": comparison.kind, "options": dict(comparison.options),
            "start_time": iso_utc(comparison.timeline.start_at) if started else "",
            "end_time": iso_utc(finished) if finished is not None else "",
            "status": comparison.status(now),
            "export_status": comparison.export.status(now) if comparison.export else "INIT",
            "report_remain_seconds": comparison.export.remain_seconds(now) if comparison.export else -1,
            "compare_job_tag": {},
        })
    return ok({"count": len(rows), "compare_jobs": page(rows, offset, limit)})


# ---------------------------------------------------------------------------------------------
# query-compare-result (v3 POST)

def query_compare_result(ctx: DrsContext) -> SimResponse:
    body = ctx.body()
    job_id = body.get("job_id")
    if not isinstance(job_id, str) or not job_id:
        raise bad_request("Missing parameter: job_id.")
    job = ctx.job(job_id)
    current_page = body_int(body, "current_page", None, 1, None, bad_request)
    per_page = body_int(body, "per_page", None, 1, 1000, bad_request)
    offset = (current_page - 1) * per_page
    now = ctx.now
    answer: dict[str, Any] = {"job_id": job.id}

    def lookup(key: str, kind: str) -> Comparison | dict[str, str] | None:
        compare_id = body.get(key)
        if not compare_id:
            return None
        found = job.comparison(compare_id)
        if found is None or found.kind != kind:
            return {"compare_task_id": compare_id, "error_code": NOT_FOUND,
                    "error_msg": "Task not found. Check the task ID."}
        return found

    obj = lookup("object_level_compare_id", "object")
    if isinstance(obj, Comparison):
        done = obj.finished_units(now)
        overview, details = [], {}
        for index, result in enumerate(obj.types):
            status = _type_status(obj, index, done)
            overview.append({"object_type": result.object_type,
                             "object_compare_result": RESULT_STRINGS[0] if status == 0 else
                             "CONSISTENT" if status == 2 else "COMPARING",
                             "target_count": result.target_count if status != 3 else 0,
                             "source_count": result.source_count,
                             "diff_count": sum(1 for r in result.rows if not r.consistent) if status != 3 else 0})
            if status == 0:
                details[result.object_type] = [
                    {"source_db_name": r.source_db, "target_db_name": r.target_db, "source_db_value": r.source_value,
                     "target_db_value": r.target_value, "error_message": ""} for r in result.rows if not r.consistent]
        answer["object_level_compare_results"] = {"compare_task_id": obj.id,
                                                  "object_compare_overview": page(overview, offset, per_page),
                                                  "object_compare_details": details}
    elif obj is not None:
        answer["object_level_compare_results"] = obj

    lines = lookup("line_compare_id", "lines")
    if isinstance(lines, Comparison):
        answer["line_compare_results"] = _line_results(lines, now, offset, per_page)
    elif lines is not None:
        answer["line_compare_results"] = lines

    contents = lookup("content_compare_id", "contents")
    if isinstance(contents, Comparison):
        answer["content_compare_results"] = _content_results(contents, now, offset, per_page)
    elif contents is not None:
        answer["content_compare_results"] = contents

    tasks = []
    for comparison in job.comparisons:
        finished = comparison.timeline.finished_at(now)
        tasks.append({"compare_task_id": comparison.id, "compare_type": LIST_TYPE_NAMES[comparison.kind],
                      "compare_task_status": comparison.status(now),
                      "create_time": iso_utc(comparison.timeline.created_at),
                      "end_time": iso_utc(finished) if finished is not None else ""})
    answer["compare_task_list_results"] = {"compare_task_list": page(tasks, offset, per_page),
                                           "compare_task_list_count": len(tasks)}
    return ok(answer)


def _result_string(status: int) -> str:
    return RESULT_STRINGS.get(status, "CAN_NOT_COMPARE")


def _line_results(comparison: Comparison, now: float, offset: int, per_page: int) -> dict[str, Any]:
    overview, details = [], []
    for db, indexes in _db_groups(comparison).items():
        summary = _db_summary(comparison, indexes, now)
        overview.append({"source_db_name": db, "target_db_name": db,
                         "line_compare_result": _result_string(summary["status"])})
        rows = []
        for i in indexes:
            status = _table_status(comparison, i, now)
            result = comparison.tables[i]
            done = status not in (5, 6)
            rows.append({"source_table_name": result.table.name, "target_table_name": result.table.name,
                         "source_row_num": result.table.rows, "target_row_num": result.target_rows if done else 0,
                         "diff_row_num": result.row_diff if done else 0,
                         "line_compare_result": _result_string(status), "message": ""})
        details.append({"source_db_name": db, "line_compare_detail": page(rows, offset, per_page),
                        "line_compare_detail_count": len(rows)})
    return {"compare_task_id": comparison.id, "line_compare_overview": page(overview, offset, per_page),
            "line_compare_overview_count": len(overview), "line_compare_details": page(details, offset, per_page)}


def _content_results(comparison: Comparison, now: float, offset: int, per_page: int) -> dict[str, Any]:
    overview, details, diffs = [], [], []
    for db, indexes in _db_groups(comparison).items():
        summary = _db_summary(comparison, indexes, now)
        overview.append({"source_db_name": db, "target_db_name": db,
                         "content_compare_result": _result_string(summary["status"])})
        compared, uncompared = [], []
        for i in indexes:
            status = _table_status(comparison, i, now)
            result = comparison.tables[i]
            done = status not in (5, 6)
            row = {"source_db_name": db, "target_db_name": db, "source_table_name": result.table.name,
                   "target_table_name": result.table.name, "source_row_num": result.table.rows,
                   "target_row_num": result.target_rows if done else 0,
                   "diff_row_num": result.row_diff if done else 0,
                   "line_compare_result": _result_string(status if result.row_diff or status != 0 else 2),
                   "content_compare_result": _result_string(status), "message": ""}
            (uncompared if status == 22 else compared).append(row)
            if status == 0:
                diff_rows = [{"target_select_sql": f"SELECT * FROM {db}.{result.table.name} WHERE id = {k}",
                              "source_select_sql": f"SELECT * FROM {db}.{result.table.name} WHERE id = {k}",
                              "source_key_value": [str(k)], "target_key_value": [str(k)]}
                             for k in range(1000, 1000 + max(result.value_diffs, result.row_diff))]
                diffs.append({"source_db_name": db, "source_table_name": result.table.name,
                              "content_compare_diff": page(diff_rows, offset, per_page),
                              "content_compare_diff_count": len(diff_rows)})
        details.append({"source_db_name": db, "content_compare_detail": page(compared, offset, per_page),
                        "content_compare_detail_count": len(compared),
                        "content_uncompare_detail": page(uncompared, offset, per_page),
                        "content_uncompare_detail_count": len(uncompared)})
    return {"compare_task_id": comparison.id, "content_compare_overview": page(overview, offset, per_page),
            "content_compare_overview_count": len(overview),
            "content_compare_details": page(details, offset, per_page),
            "content_compare_diffs": page(diffs, offset, per_page)}


# ---------------------------------------------------------------------------------------------
# export and download of the result file

def _export_target(job: DrsJob, compare_type: Any, compare_job_id: Any) -> Comparison:
    if compare_type not in EXPORT_TYPES:
        raise bad_request("Invalid parameter: compare_type.")
    kind = EXPORT_TYPES[compare_type]
    if kind == "repair":
        raise bad_request("Data repair is not enabled for this job.")
    if kind == "object":
        comparison = job.latest("object")
        if comparison is None:
            raise task_not_found()
        return comparison
    if not compare_job_id:
        raise bad_request(f"Missing parameter: compare_job_id is required for compare_type {compare_type}.")
    comparison = job.comparison(str(compare_job_id))
    if comparison is None or comparison.kind != kind:
        raise task_not_found()
    return comparison


def export_result_file(ctx: DrsContext) -> SimResponse:
    if not (ctx.request.header("region") or "").strip():
        raise bad_request("Missing header: Region.")
    job = ctx.job()
    body = ctx.body()
    comparison = _export_target(job, body.get("compare_type"), body.get("compare_job_id"))
    time_zone = body.get("time_zone")
    if time_zone is not None and not isinstance(time_zone, str):
        raise bad_request("Invalid parameter: time_zone.")
    if comparison.status(ctx.now) == "WAITING_FOR_RUNNING":
        raise bad_request("The comparison has not started yet; there is nothing to export.")
    ctx.world.start_export(comparison, ctx.now)
    # The seed documents the 200 body as the JSON string "".
    return json_response(200, "")


def download_result_file(ctx: DrsContext) -> SimResponse:
    job = ctx.job()
    q = ctx.query
    comparison = _export_target(job, q.get("compare_type"), q.get("compare_job_id"))
    now = ctx.now
    export = comparison.export
    if export is None or export.status(now) != "EXPORT_COMPLETE":
        raise bad_request("The comparison result file is not ready. Export it first.")
    if export.remain_seconds(now) <= 0:
        raise bad_request("The comparison result file has expired. Export it again.")
    name = f"{job.id}-{q.get('compare_type')}-{comparison.id}.xlsx"
    disposition = f'attachment; filename="{name}"'
    if ctx.world.settings.hostile_names:
        # A hostile world offers the job's name (markup, controls, bidi) and 120 CJK characters
        # (360 bytes in UTF-8, over any file system's name limit) as the file name.
        offered = urllib.parse.quote(f"{job.name}-{'订单' * 60}.xlsx", safe="")
        disposition += f"; filename*=UTF-8''{offered}"
    content = build_xlsx(_report_sheets(job, comparison, now))
    return SimResponse(200, {"Content-Type": "application/octet-stream",
                             "Content-Disposition": disposition}, content)


def _report_sheets(job: DrsJob, comparison: Comparison, now: float) -> dict[str, list[list[Any]]]:
    summary = [["drstui simulator comparison report"], ["job_id", job.id], ["job_name", job.name],
               ["compare_job_id", comparison.id], ["compare_type", comparison.kind],
               ["status", comparison.status(now)]]
    if comparison.kind == "object":
        done = comparison.finished_units(now)
        rows: list[list[Any]] = [["object_type", "source_db", "target_db", "source_value", "target_value", "result"]]
        for index, result in enumerate(comparison.types):
            for r in result.rows:
                status = "NOT_FINISHED" if index >= done else "CONSISTENT" if r.consistent else "INCONSISTENT"
                rows.append([result.object_type, r.source_db, r.target_db, r.source_value, r.target_value, status])
        return {"Summary": summary, "Objects": rows}
    rows = [["database", "table", "source_rows", "target_rows", "difference_rows", "status_code"]]
    for index, result in enumerate(comparison.tables):
        rows.append([result.table.db, result.table.name, result.table.rows, result.target_rows,
                     result.row_diff, _table_status(comparison, index, now)])
    return {"Summary": summary, "Tables": rows}


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


def compare_progress(ctx: DrsContext) -> SimResponse:
    job = ctx.job()
    comparison = job.comparison(ctx.params["compare_job_id"])
    if comparison is None:
        raise task_not_found()
    now = ctx.now
    running = comparison.status(now) == "RUNNING" and not comparison.timeline.is_paused(now)
    rate = 1200 if running else 0
    return ok({
        "full_info": {"progress": round(comparison.timeline.progress(now) * 100, 1),
                      "src_speed": f"{rate} rows/s", "recheck_entities": 3 if running else 0},
        "incre_info": {"delay": 2.0 if running else 0.0, "src_speed": f"{80 if running else 0} rows/s",
                       "rps": 80 if running else 0, "log_point": "mysql-bin.000123:45678",
                       "recheck_entities": 0},
        "global_info": {"src_speed": f"{rate + (80 if running else 0)} rows/s"},
    })
