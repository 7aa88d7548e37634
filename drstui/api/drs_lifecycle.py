"""DRS calls of the comparison lifecycle: row-level differences, pause/restart, compare policy.

A mixin of :class:`drstui.api.drs.DrsClient` (it uses the client's session and path helpers).
Paths and methods are those of the official SDK's ``drs_async_client.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models.lifecycle import (
    DIFFERENCE_PAGE_MAX,
    CompareOperation,
    ComparePolicy,
    ComparePolicyUpdate,
    ContentDifference,
    compare_ids_body,
)
from .signing import encode_path_param as q

if TYPE_CHECKING:
    from .transport import HttpSession


class CompareLifecycleCalls:
    http: HttpSession

    async def _job(self, version: str, job_id: str, tail: str = "") -> str:  # pragma: no cover
        raise NotImplementedError  # provided by DrsClient

    async def content_difference(self, job_id: str, compare_job_id: str, *,
                                 db_name: str | None = None, table_name: str | None = None,
                                 limit: int = 100, offset: int = 0) -> ContentDifference:
        """One page of the differing rows of a value comparison (v3 content-difference)."""
        if not compare_job_id:
            raise ValueError("compare_job_id must not be empty")
        if not 1 <= limit <= DIFFERENCE_PAGE_MAX:
            raise ValueError(f"limit must be between 1 and {DIFFERENCE_PAGE_MAX}, not {limit}")
        if offset < 0:
            raise ValueError(f"offset must be >= 0, not {offset}")
        path = await self._job("v3", job_id, f"/compare/{q(compare_job_id)}/content-difference")
        params = {"table_name": table_name, "db_name": db_name, "limit": limit, "offset": offset}
        resp = await self.http.request_json("GET", path, params=params)
        return ContentDifference.from_json(resp.data if resp.data is not None else {})

    async def pause_compare(self, job_id: str, compare_job_ids: list[str] | tuple[str, ...]
                            ) -> CompareOperation:
        """Pause running comparisons of a job. A POST: never retried."""
        return await self._operate(job_id, "pause", compare_job_ids)

    async def restart_compare(self, job_id: str, compare_job_ids: list[str] | tuple[str, ...]
                              ) -> CompareOperation:
        """Continue paused comparisons of a job. A POST: never retried."""
        return await self._operate(job_id, "restart", compare_job_ids)

    async def _operate(self, job_id: str, verb: str, compare_job_ids) -> CompareOperation:
        body = compare_ids_body(compare_job_ids)
        resp = await self.http.request_json("POST", await self._job("v5", job_id, f"/compare/{verb}"),
                                            json_body=body)
        return CompareOperation.from_json(resp.data if isinstance(resp.data, dict) else {})

    async def show_compare_policy(self, job_id: str) -> ComparePolicy:
        resp = await self.http.request_json("GET", await self._job("v5", job_id, "/compare-policy"))
        return ComparePolicy.from_json(resp.data if resp.data is not None else {})

    async def update_compare_policy(self, job_id: str, update: ComparePolicyUpdate) -> None:
        """Replace the job's periodic comparison policy (answer: an empty body)."""
        problems = update.problems()
        if problems:
            raise ValueError("; ".join(problems))
        await self.http.request_json("PUT", await self._job("v5", job_id, "/compare-policy"),
                                     json_body=update.to_json())
