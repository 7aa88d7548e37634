"""Handlers for the DRS endpoints drstui uses (docs/api/drs.md §5, §6). Shapes follow tests/data/fixtures.

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
import random
from dataclasses import dataclass
from typing import Any, Callable

from .clock import epoch_millis
from .messages import SimError, SimRequest, SimResponse, json_response, parse_json_body
from .params import body_int, int_param, page
from .world import Comparison, DrsJob, HealthCompare, Project, World

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


def object_type_status(comparison: Comparison | HealthCompare, index: int, done_units: int) -> int:
    """Status of object type ``index``: 3 not compared yet, 2 consistent, 0 not."""
    if index >= done_units:
        return 3
    return 2 if comparison.types[index].consistent else 0
