"""DRS client (docs/api/drs.md): jobs, comparisons, result files. Async, no UI."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from .drs_lifecycle import CompareLifecycleCalls
from .errors import ApiError, body_error
from .files import (
    extension_for,
    filename_from_content_disposition,
    offered_extension,
    sanitize_filename,
    save_stream_atomically,
)
from .models.drs import (
    CompareJobList,
    CompareProgress,
    ContentCompareDetail,
    ContentCompareOverview,
    CreateCompareTaskRequest,
    CreateCompareTaskResult,
    HealthCompareJobList,
    JobDetail,
    Job,
    JobList,
    JobStatus,
    JobStatusPage,
    LineCompareDetail,
    LineCompareOverview,
    ObjectCompareDetail,
    ObjectCompareOverview,
)
from .replication import ReplicationReads
from .signing import encode_path_param as q
from .transport import HttpSession, parse_json_body

ProjectId = str | Callable[[], Awaitable[str]]

# The comparison reports a user exports (repair_data is a repair script, not a report).
REPORT_TYPES = ("objects_comparison", "lines", "contents", "random")
EXPORT_COMPARE_TYPES = REPORT_TYPES + ("repair_data",)
# Templates of the paths the actions' confirmation shows (the calls below build the real ones).
CREATE_COMPARE_PATH = "/v3/{project_id}/jobs/create-compare-task"
RESULT_FILE_PATH = "/v3/{project_id}/jobs/{job_id}/compare/result/file"
EXPORT_TYPES_NEEDING_JOB_ID = ("contents", "lines", "random")
OBJECT_TYPES = (
    "DB", "TABLE", "VIEW", "EVENT", "ROUTINE", "INDEX", "TRIGGER", "SYNONYM", "FUNCTION",
    "PROCEDURE", "TYPE", "RULE", "DEFAULT_TYPE", "PLAN_GUIDE", "CONSTRAINT", "FILE_GROUP",
    "PARTITION_FUNCTION", "PARTITION_SCHEME", "TABLE_COLLATION",
)
BATCH_STATUS_MAX = 100  # per_page 0-100; the server default of 5 silently truncates
V3_LIST_MAX = 100
V3_DB_USE_TYPES = ("migration", "sync", "cloudDataGuard")
# The v5 list requires job_type (the SDK always sends it): one listing per scenario, merged.
V5_JOB_TYPES = ("migration", "sync", "cloudDataGuard", "replay")
MAX_PAGES = 1000  # guard against a server that never reports the end


def _check_page(limit: int, offset: int, max_limit: int = 1000) -> None:
    if not 1 <= limit <= max_limit:
        raise ValueError(f"limit must be between 1 and {max_limit}, not {limit}")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, not {offset}")


def _v5_list_unsupported(err: ApiError) -> bool:
    """The v5 job list exists only in some regions/scenarios (docs/api/drs.md §6.1)."""
    if err.status in (404, 405, 501):
        return True
    text = f"{err.error_code or ''} {err.error_msg}".lower()
    return err.status == 400 and ("not support" in text or "unsupported" in text)


class DrsClient(CompareLifecycleCalls, ReplicationReads):
    """DRS v3/v5 calls (comparison lifecycle and replication reads come from the mixins).
    `project_id` is a string or an async callable returning one (e.g. taken
    from the IAM token once fetched)."""

    def __init__(self, http: HttpSession, project_id: ProjectId, region: str | None = None,
                 *, v3_engine_type: str = "mysql") -> None:
        self.http = http
        self._project_id = project_id
        self.region = region
        self.v3_engine_type = v3_engine_type
        self._list_api: str | None = None  # "v5" or "v3" once known

    async def project_id(self) -> str:
        pid = self._project_id if isinstance(self._project_id, str) else await self._project_id()
        if not pid:
            raise ApiError("no project id: configure one or use a project-scoped token", kind="auth")
        return pid

    async def _p(self, version: str, tail: str = "") -> str:
        return f"/{version}/{q(await self.project_id())}{tail}"

    async def _job(self, version: str, job_id: str, tail: str = "") -> str:
        if not job_id:
            raise ValueError("job_id must not be empty")
        return await self._p(version, f"/jobs/{q(job_id)}{tail}")

    # -- jobs -----------------------------------------------------------------------------------
    async def list_jobs(self, offset: int = 0, limit: int = 100, *, job_type: str = "migration",
                        status: str | None = None, name: str | None = None,
                        engine_type: str | None = None) -> JobList:
        """One page of jobs of one `job_type` (mandatory on both lists): v5 GET list, or the
        v3 POST list (`db_use_type`) where v5 is not offered."""
        _check_page(limit, offset)
        if not job_type:
            raise ValueError("job_type must not be empty")
        if self._list_api != "v3":
            try:
                result = await self._list_jobs_v5(offset, limit, job_type, status, name, engine_type)
                self._list_api = "v5"
                return result
            except ApiError as err:
                if self._list_api == "v5" or not _v5_list_unsupported(err):
                    raise
                self._list_api = "v3"
        return await self._list_jobs_v3(offset, limit, job_type, status, name, engine_type)

    async def _list_jobs_v5(self, offset, limit, job_type, status, name, engine_type) -> JobList:
        params = {"offset": offset, "limit": limit, "job_type": job_type, "status": status,
                  "name": name, "engine_type": engine_type}
        resp = await self.http.request_json("GET", await self._p("v5", "/jobs"), params=params)
        return JobList.from_json(resp.data)

    async def _list_jobs_v3(self, offset, limit, db_use_type, status, name, engine_type) -> JobList:
        per_page = min(limit, V3_LIST_MAX)
        body: dict[str, Any] = {
            "cur_page": offset // per_page + 1,
            "per_page": per_page,
            "db_use_type": db_use_type,
            # The server defaults to "mysql" when omitted; say so explicitly.
            "engine_type": engine_type or self.v3_engine_type,
        }
        if status:
            body["status"] = status
        if name:
            body["name"] = name
        resp = await self.http.request_json("POST", await self._p("v3", "/jobs"), json_body=body,
                                            safe=True)
        result = JobList.from_json(resp.data)
        return JobList(result.total, result.jobs, "v3", extra=result.extra)

    async def list_all_jobs(self, *, page_size: int = 100, job_type: str | None = None,
                            status: str | None = None, engine_type: str | None = None) -> list[Job]:
        """Every job, paging until the reported total, of `job_type` or else of every type
        the list knows (v5: V5_JOB_TYPES, v3: V3_DB_USE_TYPES), merged.

        The first type's first page is asked for alone: it tells which list the region offers,
        and a service that is down (or refuses the credentials) then costs one failing call, not
        one per type. The other types are then asked for at once (one round trip, not three)."""
        first_type = job_type or "migration"
        first = await self.list_jobs(0, page_size, job_type=first_type, status=status,
                                     engine_type=engine_type)
        if first.api_version == "v3":
            page_size = min(page_size, V3_LIST_MAX)
        types = [job_type] if job_type else list(
            V3_DB_USE_TYPES if first.api_version == "v3" else V5_JOB_TYPES)
        per_type = await asyncio.gather(*(
            self._collect(first if each == first_type else None, page_size, each, status, engine_type)
            for each in types))
        jobs = [job for listed in per_type for job in listed]
        return _newest_first(_dedupe(jobs)) if len(types) > 1 else _dedupe(jobs)

    async def _collect(self, first: JobList | None, page_size: int, job_type, status,
                       engine_type) -> list[Job]:
        out: list[Job] = []
        page = first
        offset = 0
        for _ in range(MAX_PAGES):
            if page is None:
                page = await self.list_jobs(offset, page_size, job_type=job_type, status=status,
                                            engine_type=engine_type)
            out.extend(page.jobs)
            offset += page_size
            if not page.jobs or len(page.jobs) < page_size or (
                    page.total is not None and offset >= page.total):
                break
            page = None
        return out

    async def show_job_detail(self, job_id: str, type: str = "overview", **query: Any) -> JobDetail:
        resp = await self.http.request_json("GET", await self._job("v5", job_id),
                                            params={"type": type, **query})
        return JobDetail.from_json(resp.data)

    async def batch_job_status(self, job_ids: Iterable[str]) -> list[JobStatus]:
        """Statuses of many jobs, in calls of at most 100 ids with an explicit page size."""
        unique = list(dict.fromkeys(j for j in job_ids if j))
        out: list[JobStatus] = []
        path = await self._p("v3", "/jobs/batch-status")
        for start in range(0, len(unique), BATCH_STATUS_MAX):
            chunk = unique[start:start + BATCH_STATUS_MAX]
            body = {"jobs": chunk, "page_req": {"cur_page": 1, "per_page": len(chunk)}}
            resp = await self.http.request_json("POST", path, json_body=body, safe=True)
            out.extend(JobStatusPage.from_json(resp.data).results)
        return out

    # -- creating comparisons -------------------------------------------------------------------
    async def create_compare_task(self, request: CreateCompareTaskRequest) -> CreateCompareTaskResult:
        """Create object- and/or data-level comparisons. Never retried. Errors for one part
        are returned in the result; a top-level error with nothing created is raised."""
        resp = await self.http.request_json("POST", await self._p("v3", "/jobs/create-compare-task"),
                                            json_body=request.to_json(), check_body_error=False)
        result = CreateCompareTaskResult.from_json(resp.data)
        if result.error_code and not result.created_ids:
            raise ApiError(result.error_msg or "create-compare-task failed", status=resp.status,
                           error_code=result.error_code, request_id=resp.request_id,
                           method="POST", path=CREATE_COMPARE_PATH)
        return result

    async def cancel_compare(self, job_id: str, compare_job_id: str) -> None:
        await self.http.request_json("DELETE", await self._job("v3", job_id,
                                                               f"/compare/{q(compare_job_id)}"))

    # -- object-level comparison ----------------------------------------------------------------
    async def object_compare_overview(self, job_id: str) -> ObjectCompareOverview:
        resp = await self.http.request_json("GET", await self._job("v3", job_id, "/object/compare"))
        return ObjectCompareOverview.from_json(resp.data if resp.data is not None else {})

    async def object_compare_detail(self, job_id: str, object_type: str,
                                    compare_job_id: str | None = None, limit: int = 1000,
                                    offset: int = 0) -> ObjectCompareDetail:
        _check_page(limit, offset)
        path = await self._job("v3", job_id, f"/object/compare/{q(object_type)}")
        params = {"compare_job_id": compare_job_id, "limit": limit, "offset": offset}
        resp = await self.http.request_json("GET", path, params=params)
        return ObjectCompareDetail.from_json(resp.data)

    async def health_compare_jobs(self, job_id: str, status: str | None = None, limit: int = 100,
                                  offset: int = 0) -> HealthCompareJobList:
        _check_page(limit, offset)
        resp = await self.http.request_json(
            "GET", await self._job("v5", job_id, "/health-compare-jobs"),
            params={"status": status, "limit": limit, "offset": offset})
        return HealthCompareJobList.from_json(resp.data)

    async def table_compare_jobs(self, job_id: str, limit: int = 1000,
                                 offset: int = 0) -> CompareJobList:
        _check_page(limit, offset)
        resp = await self.http.request_json("GET", await self._job("v3", job_id, "/table/compare"),
                                            params={"limit": limit, "offset": offset})
        return CompareJobList.from_json(resp.data)

    async def line_compare_overview(self, job_id: str, compare_job_id: str, *,
                                    status: int | None = None, limit: int = 1000,
                                    offset: int = 0) -> LineCompareOverview:
        _check_page(limit, offset)
        path = await self._job("v3", job_id, f"/compare/{q(compare_job_id)}/line-overview")
        resp = await self.http.request_json(
            "GET", path, params={"status": status, "limit": limit, "offset": offset})
        return LineCompareOverview.from_json(resp.data)

    async def line_compare_detail(self, job_id: str, compare_job_id: str, *,
                                  status: int | None = None, type: str | None = None,
                                  db_name: str | None = None, target_db_name: str | None = None,
                                  query_tb_name: str | None = None, limit: int = 1000,
                                  offset: int = 0) -> LineCompareDetail:
        """`type` is "compare" (comparable items) or "unCompare" (items that could not be)."""
        _check_page(limit, offset)
        path = await self._job("v3", job_id, f"/compare/{q(compare_job_id)}/line-detail")
        params = {"status": status, "type": type, "db_name": db_name,
                  "target_db_name": target_db_name, "query_tb_name": query_tb_name,
                  "limit": limit, "offset": offset}
        resp = await self.http.request_json("GET", path, params=params)
        return LineCompareDetail.from_json(resp.data)

    async def content_compare_overview(self, job_id: str, compare_job_id: str, *,
                                       limit: int = 1000, offset: int = 0) -> ContentCompareOverview:
        _check_page(limit, offset)
        path = await self._job("v3", job_id, f"/compare/{q(compare_job_id)}/content-overview")
        resp = await self.http.request_json("GET", path, params={"limit": limit, "offset": offset})
        return ContentCompareOverview.from_json(resp.data)

    async def content_compare_detail(self, job_id: str, compare_job_id: str, *,
                                     db_name: str | None = None, target_db_name: str | None = None,
                                     type: str | None = None, limit: int = 1000,
                                     offset: int = 0) -> ContentCompareDetail:
        _check_page(limit, offset)
        path = await self._job("v3", job_id, f"/compare/{q(compare_job_id)}/content-detail")
        params = {"db_name": db_name, "target_db_name": target_db_name, "type": type,
                  "limit": limit, "offset": offset}
        resp = await self.http.request_json("GET", path, params=params)
        return ContentCompareDetail.from_json(resp.data)

    async def compare_progress(self, job_id: str, compare_job_id: str) -> CompareProgress:
        path = await self._job("v5", job_id, f"/compare-progress/{q(compare_job_id)}")
        resp = await self.http.request_json("GET", path)
        return CompareProgress.from_json(resp.data)

    # -- result files ---------------------------------------------------------------------------
    def _region_header(self, region: str | None) -> dict[str, str]:
        region = region or self.region
        if not region:
            raise ValueError("the Region header is mandatory for the export call: give a region")
        return {"Region": region}

    async def export_compare_result_file(self, job_id: str, compare_type: str,
                                         region: str | None = None,
                                         compare_job_id: str | None = None,
                                         time_zone: str | None = None) -> None:
        """Start generating the result file (asynchronous on the server; poll export_status).
        Never retried: a repeat would start a second export."""
        _check_export_args(compare_type, compare_job_id)
        body: dict[str, Any] = {"compare_type": compare_type}
        if compare_job_id:
            body["compare_job_id"] = compare_job_id
        if time_zone:
            body["time_zone"] = time_zone
        await self.http.request_json("POST", await self._job("v3", job_id, "/compare/result/file"),
                                     json_body=body, headers=self._region_header(region))

    async def download_compare_result_file(self, job_id: str, compare_type: str,
                                           compare_job_id: str | None, dest_dir: str | Path,
                                           region: str | None = None, *, name_stem: str | None = None) -> Path:
        """Stream the generated result file (.xlsx) into `dest_dir`; returns the saved path.
        With `name_stem` the file is named `<name_stem>.<ext>` (the extension DRS offered, else
        the one of its Content-Type); without, the name DRS offered."""
        _check_export_args(compare_type, compare_job_id)
        path = await self._job("v3", job_id, "/compare/result/file")
        params = {"compare_type": compare_type, "compare_job_id": compare_job_id}
        headers = {"Region": region or self.region} if (region or self.region) else None
        fallback = f"{job_id}-{compare_type}-{compare_job_id or 'latest'}.xlsx"
        async with self.http.stream("GET", path, params=params, headers=headers) as response:
            if "json" in response.headers.get("Content-Type", "").lower() and response.status_code == 200:
                # A JSON answer here is an error report, not the file.
                data = parse_json_body(await self.http.read_small(response),
                                       status=response.status_code, path=path)
                raise body_error(data, status=response.status_code, method="GET", path=path) or ApiError(
                    "expected the result file, got a JSON answer", kind="malformed",
                    status=response.status_code, method="GET", path=path)
            offered = filename_from_content_disposition(response.headers.get("Content-Disposition"))
            self.http.check_file_answer(response)
            if name_stem:
                ext = offered_extension(offered) or extension_for(response.headers.get("Content-Type"), "xlsx")
                offered = f"{name_stem}.{ext}"
            name = sanitize_filename(offered, sanitize_filename(fallback, "compare-result.xlsx"))
            return await save_stream_atomically(self.http.body_chunks_nonempty(response),
                                                dest_dir, name)


def _check_export_args(compare_type: str, compare_job_id: str | None) -> None:
    if compare_type not in EXPORT_COMPARE_TYPES:
        raise ValueError(f"compare_type must be one of {EXPORT_COMPARE_TYPES}, not {compare_type!r}")
    if compare_type in EXPORT_TYPES_NEEDING_JOB_ID and not compare_job_id:
        raise ValueError(f"compare_job_id is required for compare_type {compare_type!r}")


def _newest_first(jobs: list[Job]) -> list[Job]:
    """Merged listings in the order one list gives (create_time, newest first); stable, and
    jobs without a time keep their place after the timed ones."""
    timed = [j for j in jobs if j.create_time is not None]
    timed.sort(key=lambda j: (j.create_time, j.id or ""), reverse=True)  # type: ignore[arg-type]
    return timed + [j for j in jobs if j.create_time is None]


def _dedupe(jobs: list[Job]) -> list[Job]:
    seen: set[object] = set()
    out = []
    for job in jobs:
        key = job.id or id(job)
        if key not in seen:
            seen.add(key)
            out.append(job)
    return out
