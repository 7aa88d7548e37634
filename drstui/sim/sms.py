"""Handlers for the SMS endpoints drstui uses (docs/api/sms.md §3). Paths carry no project id.

Errors: 400 ``SMS.1801`` (invalid parameter) and 404 ``SMS.0404`` (task does not exist) — the
placeholder codes of the fixtures; the real catalogue is not documented.

The export answers ``application/octet-stream`` bytes: a CSV (UTF-8, header line first) named by
``Content-Disposition: attachment; filename="sms-consistency-results-<epoch>.csv"``.
One line per directory checked per task; tasks without a result get one ``NO_RESULT`` line.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from .clock import epoch_millis
from .messages import SimError, SimRequest, SimResponse, json_response, parse_json_body
from .params import bool_param, int_param, page
from .world import SmsSource, SmsTask, World

MAX_EXPORT_ITEMS = 200
EXPORT_FIELDS = ("task_id", "source_id", "source_name")
MAX_EXPORT_FIELD = 255  # each of EXPORT_FIELDS: mandatory, a string of 0-255 characters


def invalid(message: str) -> SimError:
    return SimError(400, "SMS.1801", message)


def task_missing() -> SimError:
    return SimError(404, "SMS.0404", "The task does not exist.")


@dataclass
class SmsContext:
    world: World
    request: SimRequest
    params: dict[str, str]

    @property
    def query(self) -> dict[str, str]:
        return self.request.query_dict()


def _source_brief(source: SmsSource) -> dict[str, Any]:
    return {"id": source.id, "ip": source.ip, "name": source.name, "os_type": "LINUX",
            "os_version": "CENTOS7.6", "oem_system": False, "state": source.state}


def _task_json(task: SmsTask, project_id: str) -> dict[str, Any]:
    created = epoch_millis(task.create_date)
    done = task.state in ("MIGRATE_SUCCESS", "SYNCING")
    return {
        "id": task.id, "name": task.name, "type": "MIGRATE_FILE", "os_type": "LINUX", "state": task.state,
        "estimate_complete_time": created + 7_200_000, "create_date": created, "priority": 1,
        "speed_limit": 0, "migrate_speed": 95.3, "compress_rate": 1.4, "start_target_server": True,
        "error_json": "" if task.state != "MIGRATE_FAIL" else '{"error_code":"SMS.6505","error_msg":"disk full"}',
        "total_time": 5_400_000, "migration_ip": task.target_ip,
        "sub_tasks": [
            {"id": 1, "name": "CREATE_CLOUD_SERVER", "progress": 100, "start_date": created + 1000,
             "end_date": created + 300_000, "process_trace": ""},
            {"id": 2, "name": "SSL_CONFIG", "progress": 100, "start_date": created + 300_000,
             "end_date": created + 360_000, "process_trace": ""},
            {"id": 3, "name": "MIGRATE_FILE", "progress": 100 if done else 40, "start_date": created + 360_000,
             "end_date": created + 5_400_000 if done else 0, "process_trace": ""},
        ],
        "source_server": _source_brief(task.source),
        "target_server": {"id": "6f2d0a9c-9a1b-4c3d-8e7f-0a1b2c3d4e5f", "vm_id": "b7e3c2a1-5d4f-4e3a-9b8c-7d6e5f4a3b2c",
                          "name": f"{task.source.name}-target", "ip": task.target_ip, "os_type": "LINUX",
                          "os_version": "CENTOS7.6"},
        "enterprise_project_id": "0", "log_collect_status": "INIT", "syncing": task.state == "SYNCING",
        "special_config": [{"config_key": "CONSISTENCY_DIR", "config_value": "/data", "config_status": ""}],
        "need_migration_test": False, "subtask_info": "",
    }


def list_tasks(ctx: SmsContext) -> SimResponse:
    """``limit`` 0–200 (default 100; 0 is read as the default, as for sources), ``offset`` 0–65535."""
    q = ctx.query
    limit = int_param(q, "limit", 100, 0, 200, invalid) or 100
    offset = int_param(q, "offset", 0, 0, 65535, invalid)
    tasks = list(ctx.world.sms_tasks.values())
    for key, get in (("state", lambda t: t.state), ("name", lambda t: t.name), ("id", lambda t: t.id),
                     ("source_server_id", lambda t: t.source.id)):
        if q.get(key):
            tasks = [t for t in tasks if get(t) == q[key]]
    project = ctx.world.settings.project_id
    return json_response(200, {"count": len(tasks),
                               "tasks": [_task_json(t, project) for t in page(tasks, offset, limit)]})


def _source_json(source: SmsSource, task: SmsTask | None, world: World) -> dict[str, Any]:
    added = epoch_millis(source.add_date)
    current = {}
    if task is not None:
        current = {
            "id": task.id, "name": task.name, "type": "MIGRATE_FILE", "state": task.state,
            "estimate_complete_time": epoch_millis(task.create_date) + 7_200_000,
            "start_date": epoch_millis(task.create_date), "speed_limit": 0, "migrate_speed": 95.3,
            "compress_rate": 1.4, "start_target_server": True, "vm_template_id": "",
            "region_id": world.settings.region, "project_name": world.settings.region,
            "project_id": world.settings.project_id,
            "target_server": {"vm_id": "b7e3c2a1-5d4f-4e3a-9b8c-7d6e5f4a3b2c", "name": f"{source.name}-target"},
            "log_collect_status": "INIT", "exist_server": False, "use_public_ip": True, "remain_seconds": 0,
            "subtask_info": "",
        }
    return {
        "id": source.id, "ip": source.ip, "name": source.name, "enterprise_project_id": "0", "add_date": added,
        "os_type": "LINUX", "os_version": "CENTOS7.6", "oem_system": False, "state": source.state,
        "connected": source.connected, "cpu_quantity": 4, "memory": 8589934592, "current_task": current,
        "checks": [{"id": 1, "params": [], "name": "OS_VERSION", "result": "OK", "error_code": "",
                    "error_or_warn": "", "error_params": ""}],
        "replicatesize": 53687091200, "totalsize": 53687091200, "stage_action_time": added + 23_800_000,
        "last_visit_time": added + 24_100_000, "migration_cycle": source.migration_cycle,
        "state_action_time": added + 23_800_000, "is_consistency_result_exist": source.has_result,
        "has_tc": True, "start_type": "MANUAL",
    }


def list_sources(ctx: SmsContext) -> SimResponse:
    """``limit`` 0–200 (0 = the default 200), ``offset`` ≥ 0."""
    q = ctx.query
    limit = int_param(q, "limit", 200, 0, 200, invalid) or 200
    offset = int_param(q, "offset", 0, 0, None, invalid)
    sources = list(ctx.world.sms_sources.values())
    for key in ("state", "name", "id", "ip", "migration_cycle"):
        if q.get(key):
            sources = [s for s in sources if getattr(s, key) == q[key]]
    for key, attr in (("is_consistency_result_exist", "has_result"), ("connected", "connected")):
        wanted = bool_param(q, key, invalid)
        if wanted is not None:
            sources = [s for s in sources if getattr(s, attr) == wanted]
    by_source = {t.source.id: t for t in ctx.world.sms_tasks.values()}
    return json_response(200, {"count": len(sources), "source_servers": [
        _source_json(s, by_source.get(s.id), ctx.world) for s in page(sources, offset, limit)]})


def consistency_result(ctx: SmsContext) -> SimResponse:
    task = ctx.world.sms_tasks.get(ctx.params["task_id"])
    if task is None:
        raise task_missing()
    results: list[Any] = []
    if task.results:
        if ctx.world.settings.sms_result_shape == "strings":
            results = [json.dumps(r, separators=(",", ":")) for r in task.results]
        else:
            results = [{"finished_time": epoch_millis(task.finished_time), "check_result": "success",
                        "consistency_result": task.results}]
    return json_response(200, {"task_id": task.id, "result_list": results})


def export_consistency_results(ctx: SmsContext) -> SimResponse:
    body = parse_json_body(ctx.request, invalid("Invalid parameter: request body."))
    items = body.get("task_info")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_EXPORT_ITEMS:
        raise invalid(f"Invalid parameter: task_info must hold 1 to {MAX_EXPORT_ITEMS} items.")
    tasks = [_export_task(ctx.world, item) for item in items]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["task_id", "source_id", "source_name", "dir_check", "num_total_files",
                     "num_different_files", "num_target_miss_files", "num_target_more_files", "check_result"])
    for task in tasks:
        if not task.results:
            writer.writerow([task.id, task.source.id, task.source.name, "", "", "", "", "", "NO_RESULT"])
        for r in task.results:
            writer.writerow([task.id, task.source.id, task.source.name, r["dir_check"], r["num_total_files"],
                             r["num_different_files"], r["num_target_miss_files"], r["num_target_more_files"],
                             "success"])
    name = f"sms-consistency-results-{int(ctx.world.now())}.csv"
    return SimResponse(200, {"Content-Type": "application/octet-stream",
                             "Content-Disposition": f'attachment; filename="{name}"'},
                       out.getvalue().encode("utf-8"))


def _export_task(world: World, item: Any) -> SmsTask:
    """One ``task_info`` entry: all three fields present as strings of 0-255 characters (empty is
    allowed); the task is found by ``task_id``, or by ``source_id`` when the task id is empty,
    and a non-empty ``source_id`` must be the task's own source."""
    if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and len(item[k]) <= MAX_EXPORT_FIELD
                                             for k in EXPORT_FIELDS):
        raise invalid("Invalid parameter: task_info.")
    task_id, source_id = item["task_id"], item["source_id"]
    if task_id:
        task = world.sms_tasks.get(task_id)
    else:
        task = next((t for t in world.sms_tasks.values() if source_id and t.source.id == source_id), None)
    if task is None:
        raise task_missing()
    if source_id and task.source.id != source_id:
        raise invalid("Invalid parameter: task_info.source_id does not belong to the task.")
    return task
