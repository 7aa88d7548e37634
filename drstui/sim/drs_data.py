"""DRS data-level comparison handlers: row ("lines") and value ("contents") overviews and
details, content differences, the table-compare list, query-compare-result, the export and
download of the result file, and the v5 comparison progress. Rules in :mod:`.drs`."""

from __future__ import annotations

import urllib.parse
from typing import Any

from .clock import iso_utc
from .drs import (EXPORT_TYPES, LIST_TYPE_NAMES, NOT_FOUND, RESULT_STRINGS, DrsContext, bad_request, object_type_status,
                  ok, task_not_found)
from .messages import SimResponse, json_response
from .params import body_int, int_param, page
from .world import Comparison, DrsJob, TableResult
from .xlsx import build_xlsx


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
            status = object_type_status(obj, index, done)
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
