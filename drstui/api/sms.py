"""SMS client (docs/api/sms.md): tasks, source servers, consistency results and their batch export."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import ApiError, body_error
from .files import (
    extension_for,
    filename_from_content_disposition,
    sanitize_filename,
    save_stream_atomically,
)
from .models.sms import (
    ConsistencyResult,
    SmsExportItem,
    SmsSource,
    SmsSourceList,
    SmsTask,
    SmsTaskList,
)
from .signing import encode_path_param as q
from .signing import utc_now
from .transport import SMS_EXPORT_CONTENT_TYPE, HttpSession, parse_json_body

EXPORT_BATCH_MAX = 200
EXPORT_PATH = "/v3/tasks/consistency-results/export"
MAX_PAGES = 1000


@dataclass(frozen=True)
class SmsExportBatchResult:
    """Outcome of one export call (one batch of at most 200 items)."""

    batch_index: int  # 1-based
    items_count: int
    ok: bool
    path: Path | None = None  # the saved file
    json_body: object | None = None  # when the server answered JSON (e.g. `{}`)
    error: Exception | None = None  # ApiError, or OSError while saving

    @property
    def error_text(self) -> str | None:
        return str(self.error) if self.error is not None else None


def chunk_items(items: list[SmsExportItem], size: int = EXPORT_BATCH_MAX) -> list[list[SmsExportItem]]:
    if not 1 <= size <= EXPORT_BATCH_MAX:
        raise ValueError(f"batch size must be 1..{EXPORT_BATCH_MAX}")
    return [items[i:i + size] for i in range(0, len(items), size)]


class SmsClient:
    def __init__(self, http: HttpSession, *, clock: Callable[[], datetime] = utc_now,
                 language: str | None = "en-us") -> None:
        self.http = http
        self._clock = clock
        self.language = language  # sent on the export only: no other SMS call defines X-Language

    # -- lists ----------------------------------------------------------------------------------
    async def list_tasks(self, state: str | None = None, limit: int = 100, offset: int = 0, *,
                         name: str | None = None, source_server_id: str | None = None,
                         enterprise_project_id: str | None = None) -> SmsTaskList:
        _check_page(limit, offset, 200)
        params = {"state": state, "name": name, "source_server_id": source_server_id,
                  "enterprise_project_id": enterprise_project_id, "limit": limit, "offset": offset}
        resp = await self.http.request_json("GET", "/v3/tasks", params=params)
        return SmsTaskList.from_json(resp.data)

    async def list_all_tasks(self, state: str | None = None, page_size: int = 100) -> list[SmsTask]:
        out: list[SmsTask] = []
        offset = 0
        for _ in range(MAX_PAGES):
            page = await self.list_tasks(state, page_size, offset)
            out.extend(page.tasks)
            offset += page_size
            if len(page.tasks) < page_size or (page.count is not None and offset >= page.count):
                break
        return out

    async def list_sources(self, is_consistency_result_exist: bool | None = None, limit: int = 200,
                           offset: int = 0, *, state: str | None = None, name: str | None = None,
                           connected: bool | None = None,
                           migration_cycle: str | None = None) -> SmsSourceList:
        # limit=0 would mean "server default", so a page size is always sent explicitly.
        _check_page(limit, offset, 200)
        params = {"is_consistency_result_exist": is_consistency_result_exist, "state": state,
                  "name": name, "connected": connected, "migration_cycle": migration_cycle,
                  "limit": limit, "offset": offset}
        resp = await self.http.request_json("GET", "/v3/sources", params=params)
        return SmsSourceList.from_json(resp.data)

    async def list_all_sources(self, is_consistency_result_exist: bool | None = None,
                               page_size: int = 200, **filters) -> list[SmsSource]:
        out: list[SmsSource] = []
        offset = 0
        for _ in range(MAX_PAGES):
            page = await self.list_sources(is_consistency_result_exist, page_size, offset, **filters)
            out.extend(page.sources)
            offset += page_size
            if len(page.sources) < page_size or (page.count is not None and offset >= page.count):
                break
        return out

    async def consistency_result(self, task_id: str) -> ConsistencyResult:
        if not task_id:
            raise ValueError("task_id must not be empty")
        resp = await self.http.request_json("GET", f"/v3/tasks/{q(task_id)}/consistency-result")
        return ConsistencyResult.from_json(resp.data)

    # -- export ---------------------------------------------------------------------------------
    async def export_consistency_results(self, items: Iterable[SmsExportItem],
                                         dest_dir: str | Path, *,
                                         batch_size: int = EXPORT_BATCH_MAX) -> list[SmsExportBatchResult]:
        """Export in calls of at most 200 items; each answer is saved as its own file.
        A failed batch is reported in its result and the other batches still run.
        Export POSTs are never retried."""
        items = list(items)
        if not items:
            raise ValueError("export needs at least one task")
        for item in items:
            if not isinstance(item, SmsExportItem):
                raise TypeError(f"expected SmsExportItem, got {type(item).__name__}")
        stamp = self._clock().strftime("%Y%m%dT%H%M%SZ")
        results = []
        for index, batch in enumerate(chunk_items(items, batch_size), start=1):
            results.append(await self._export_batch(index, batch, dest_dir, stamp))
        return results

    async def _export_batch(self, index: int, batch: list[SmsExportItem], dest_dir: str | Path,
                            stamp: str) -> SmsExportBatchResult:
        body = {"task_info": [item.to_json() for item in batch]}
        fallback_stem = f"sms-consistency-{stamp}-batch{index}"
        try:
            headers = {"X-Language": self.language} if self.language else None
            async with self.http.stream("POST", EXPORT_PATH, json_body=body, headers=headers,
                                        content_type=SMS_EXPORT_CONTENT_TYPE) as response:
                content_type = response.headers.get("Content-Type", "")
                offered = filename_from_content_disposition(
                    response.headers.get("Content-Disposition"))
                if "json" in content_type.lower() and not offered and response.status_code == 200:
                    return await self._save_json_answer(index, batch, response, dest_dir,
                                                        fallback_stem)
                self.http.check_file_answer(response)
                name = sanitize_filename(offered, f"{fallback_stem}.{extension_for(content_type)}")
                saved = await save_stream_atomically(self.http.body_chunks_nonempty(response),
                                                     dest_dir, name)
                return SmsExportBatchResult(index, len(batch), True, path=saved)
        except (ApiError, OSError) as exc:
            return SmsExportBatchResult(index, len(batch), False, error=exc)

    async def _save_json_answer(self, index, batch, response, dest_dir, stem) -> SmsExportBatchResult:
        """The documented example answer is JSON `{}`: keep it (saved too, for the record),
        unless it carries an error."""
        raw = await self.http.read_small(response)
        data = parse_json_body(raw, status=response.status_code, path=EXPORT_PATH,
                               request_id=response.headers.get("X-Request-Id"))
        err = body_error(data, status=response.status_code, method="POST", path=EXPORT_PATH)
        if err is not None:
            return SmsExportBatchResult(index, len(batch), False, json_body=data, error=err)

        async def once():
            yield raw if raw else json.dumps(data).encode()

        saved = await save_stream_atomically(once(), dest_dir, f"{stem}.json")
        return SmsExportBatchResult(index, len(batch), True, path=saved, json_body=data)


def _check_page(limit: int, offset: int, max_limit: int) -> None:
    if not 1 <= limit <= max_limit:
        raise ValueError(f"limit must be between 1 and {max_limit}, not {limit}")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, not {offset}")
