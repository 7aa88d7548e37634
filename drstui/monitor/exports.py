"""Exports drstui started: DRS comparison reports and SMS consistency-result batches.

DRS: the export call only *starts* generating the report. Each refresh then shows its
`export_status` (object-compare overview for object comparisons, the table/compare list for
row/value ones); `observe()` follows it and, at EXPORT_COMPLETE, downloads the file in the
background before `report_remain_seconds` runs out. The API layer writes files atomically and
never overwrites.

At most one export per (job, compare type, compare job id) is in flight: a second request
while one runs is refused with ExportRefused, whose message says why.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from drstui.monitor import reasons
from drstui.monitor.errors import MonitorError, outcome_unknown
from drstui.monitor.snapshot import (  # the phases are re-exported: callers name them from here
    DOWNLOAD_FAILED,
    DOWNLOADING,
    EXPIRED,
    FAILED,
    FINISHED,
    REQUESTED,
    RUNNING_SMS,
    SAVED,
    ExportRecord,
    JobView,
    SmsBatchResult,
    utc_now,
)
from drstui.text import short_id

OBJECT_EXPORT_TYPE = "objects_comparison"
# The kind of report in its file name, in the words the screen uses.
REPORT_KINDS = {OBJECT_EXPORT_TYPE: "objects", "lines": "rows", "contents": "values"}
_NOT_SAFE_IN_NAMES = re.compile(r"[^\w.-]+")
DOWNLOAD_ATTEMPTS = 3
# An export whose answer was lost is looked for in this many refreshes before it is given up.
UNKNOWN_OUTCOME_REFRESHES = 3
_NOT_STARTED = frozenset({REQUESTED, "INIT"})  # export statuses that show no export running


class ExportRefused(MonitorError):
    """An export request that was not sent (duplicate, invalid, read-only)."""


@dataclass
class _Tracked:
    """Mutable state of one export; `record()` freezes it for the Snapshot."""

    key: str
    kind: str
    status: str
    started_at: datetime
    job_id: str | None = None
    job_name: str | None = None
    compare_type: str | None = None
    compare_job_id: str | None = None
    remain: int | None = None
    remain_as_of: datetime | None = None
    saved_path: str | None = None
    message: str | None = None
    batches: tuple[SmsBatchResult, ...] = ()
    # A report that was already complete before we asked is an old file: wait for a new one.
    stale_report: tuple[str | None, int | None] | None = None
    download_attempts: int = 0
    finished_at: datetime | None = None
    # The export call's answer was lost: refreshes that looked for a sign of it so far.
    unknown_checks: int | None = None

    def record(self) -> ExportRecord:
        return ExportRecord(
            key=self.key,
            kind=self.kind,
            status=self.status,
            job_id=self.job_id,
            job_name=self.job_name,
            compare_type=self.compare_type,
            compare_job_id=self.compare_job_id,
            report_remain_seconds=self.remain,
            remain_as_of=self.remain_as_of,
            saved_path=self.saved_path,
            message=self.message,
            batches=self.batches,
        )

    @property
    def in_flight(self) -> bool:
        return self.status not in FINISHED


@dataclass(frozen=True)
class _SeenExport:
    """Export state of one comparison as the last refresh showed it."""

    status: str | None
    remain: int | None
    job_name: str
    compare_job_id: str | None


class ExportTracker:
    def __init__(
        self,
        cloud: Any,
        download_dir: Path,
        *,
        region: str,
        now: Callable[[], datetime] = utc_now,
        time_zone: str | None = None,
        keep_finished: int = 50,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self._cloud = cloud
        self.download_dir = Path(download_dir)
        self._region = region
        self._now = now
        self._time_zone = time_zone
        self._keep_finished = keep_finished
        # Called when a background download ends (Monitor sets its request_refresh here).
        self.on_change = on_change
        self._tracked: dict[str, _Tracked] = {}
        self._seen: dict[tuple[str, str, str | None], _SeenExport] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def region(self) -> str:
        """Sent as the `Region` header of every DRS export call."""
        return self._region

    @property
    def time_zone(self) -> str | None:
        """Sent as `time_zone` (e.g. GMT+08:00): stamps local time into the report's name."""
        return self._time_zone

    # -- starting ---------------------------------------------------------------------------
    async def start_drs(
        self, job_id: str, compare_type: str, compare_job_id: str | None = None
    ) -> ExportRecord:
        """Ask DRS to generate the report; the download follows from later refreshes."""
        key = drs_key(job_id, compare_type, compare_job_id)
        self._refuse_if_running(key)
        seen = self._seen_for(job_id, compare_type, compare_job_id)
        tracked = _Tracked(
            key=key,
            kind="drs",
            status=REQUESTED,
            started_at=self._now(),
            job_id=job_id,
            job_name=seen.job_name if seen else None,
            compare_type=compare_type,
            compare_job_id=compare_job_id or (seen.compare_job_id if seen else None),
            stale_report=(seen.status, seen.remain) if seen and seen.status == "EXPORT_COMPLETE" else None,
        )
        self._tracked[key] = tracked  # claimed before the first await: no duplicate can slip in
        try:
            await self._cloud.drs.export_compare_result_file(
                job_id,
                compare_type,
                self._region,
                compare_job_id=compare_job_id,
                time_zone=self._time_zone,
            )
        except Exception as error:
            if outcome_unknown(error):
                # DRS may be generating it: follow its export status like any other export.
                tracked.unknown_checks = 0
                tracked.message = (f"outcome unknown: the answer was lost ({reasons.describe(error)}); "
                                   "looking for the export on the next refreshes")
                return tracked.record()
            self._finish(tracked, FAILED, f"export not started: {reasons.describe(error)}")
            raise MonitorError(tracked.message) from None
        return tracked.record()

    async def run_sms(self, items: Sequence[Any]) -> ExportRecord:
        """Export SMS consistency results (the API splits into calls of 200) and save them."""
        if not items:
            raise ExportRefused("select at least one SMS task to export")
        key = sms_key(items)
        self._refuse_if_running(key)
        tracked = _Tracked(
            key=key,
            kind="sms",
            status=RUNNING_SMS,
            started_at=self._now(),
            message=f"{len(items)} task(s)",
        )
        self._tracked[key] = tracked
        try:
            answer = await self._cloud.sms.export_consistency_results(list(items), self.download_dir)
        except Exception as error:
            self._finish(tracked, FAILED, f"SMS export failed: {reasons.describe(error)}")
            raise MonitorError(tracked.message) from None
        tracked.batches = sms_batches(answer)
        failed = [batch for batch in tracked.batches if not batch.ok]
        saved = [batch.saved_path for batch in tracked.batches if batch.saved_path]
        tracked.saved_path = saved[0] if len(saved) == 1 else (str(self.download_dir) if saved else None)
        if failed and len(failed) == len(tracked.batches):
            self._finish(tracked, FAILED, f"all {len(failed)} batch(es) failed: {failed[0].error}")
        else:
            note = f"{len(failed)} of {len(tracked.batches)} batch(es) failed" if failed else None
            self._finish(tracked, SAVED, note)
        return tracked.record()

    # -- following ----------------------------------------------------------------------------
    def observe(self, jobs: Iterable[JobView]) -> None:
        """Read export states from a fresh refresh; start downloads of finished reports."""
        now = self._now()
        self._seen = _export_states(jobs)
        for tracked in list(self._tracked.values()):
            if tracked.kind == "drs" and tracked.in_flight and tracked.status != DOWNLOADING:
                self._follow(tracked, now)
                self._check_unknown(tracked)
        self._prune()

    def _check_unknown(self, tracked: _Tracked) -> None:
        """An export whose answer was lost: moving means it started; no sign of it after a few
        refreshes means it did not (and may be sent again)."""
        if tracked.unknown_checks is None:
            return
        if not tracked.in_flight:  # followed to its end (saved, failed): its message stands
            tracked.unknown_checks = None
            return
        if tracked.status not in _NOT_STARTED:
            tracked.unknown_checks = None
            tracked.message = "started after all (its answer had been lost)"
            return
        tracked.unknown_checks += 1
        if tracked.unknown_checks >= UNKNOWN_OUTCOME_REFRESHES:
            tracked.unknown_checks = None
            self._finish(tracked, FAILED, f"export not started: no sign of it in "
                                          f"{UNKNOWN_OUTCOME_REFRESHES} refreshes after its answer "
                                          "was lost; it may be sent again")

    def records(self) -> tuple[ExportRecord, ...]:
        """Newest first."""
        ordered = sorted(self._tracked.values(), key=lambda t: t.started_at, reverse=True)
        return tuple(tracked.record() for tracked in ordered)

    def jobs_in_flight(self) -> set[str]:
        """Jobs with a DRS export still being followed (their export_status must be polled)."""
        return {t.job_id for t in self._tracked.values() if t.kind == "drs" and t.in_flight and t.job_id}

    def is_running(self, key: str) -> bool:
        tracked = self._tracked.get(key)
        return tracked is not None and tracked.in_flight

    async def wait_idle(self) -> None:
        """Wait for background downloads (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def __len__(self) -> int:
        return len(self._tracked)

    # -- internals ------------------------------------------------------------------------------
    def _follow(self, tracked: _Tracked, now: datetime) -> None:
        seen = self._seen_for(tracked.job_id or "", tracked.compare_type or "", tracked.compare_job_id)
        if seen is None:
            return  # comparison not listed (yet): keep waiting
        tracked.job_name = seen.job_name
        tracked.compare_job_id = tracked.compare_job_id or seen.compare_job_id
        if tracked.stale_report is not None:
            old_status, old_remain = tracked.stale_report
            fresh = seen.status != "EXPORT_COMPLETE" or (seen.remain or 0) > (old_remain or 0)
            if not fresh:
                return  # still the report that existed before we asked
            tracked.stale_report = None
        if seen.status:
            tracked.status = seen.status
        tracked.remain, tracked.remain_as_of = seen.remain, now
        if seen.status == "EXPORT_COMMON_FAILED":
            self._finish(tracked, FAILED, "DRS could not generate the report")
        elif seen.status == "EXPORT_COMPLETE":
            if seen.remain is not None and seen.remain == 0:
                self._finish(tracked, EXPIRED, "the report expired before it could be downloaded")
            else:
                self._start_download(tracked)

    def _start_download(self, tracked: _Tracked) -> None:
        tracked.status = DOWNLOADING
        tracked.download_attempts += 1
        task = asyncio.create_task(self._download(tracked))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _download(self, tracked: _Tracked) -> None:
        try:
            path = await self._cloud.drs.download_compare_result_file(
                tracked.job_id,
                tracked.compare_type,
                tracked.compare_job_id,
                self.download_dir,
                name_stem=report_stem(tracked.job_name or tracked.job_id or "job", tracked.compare_type or "report",
                                      self._now()),
            )
        except asyncio.CancelledError:
            tracked.status = "EXPORT_COMPLETE"  # may be retried by a later run
            raise
        except Exception as error:
            reason = f"download failed: {reasons.describe(error)}"
            if tracked.download_attempts >= DOWNLOAD_ATTEMPTS or self._expired(tracked):
                self._finish(tracked, DOWNLOAD_FAILED, reason)
            else:
                tracked.status, tracked.message = "EXPORT_COMPLETE", f"{reason} (will retry)"
        else:
            tracked.saved_path = str(path)
            self._finish(tracked, SAVED, None)
        if self.on_change is not None:
            self.on_change()

    def _expired(self, tracked: _Tracked) -> bool:
        if tracked.remain is None or tracked.remain_as_of is None or tracked.remain < 0:
            return False
        return self._now() >= tracked.remain_as_of + timedelta(seconds=tracked.remain)

    def refuse_if_running(self, key: str) -> None:
        """ExportRefused (saying which export and since when) if `key` is still in flight."""
        self._refuse_if_running(key)

    def _refuse_if_running(self, key: str) -> None:
        tracked = self._tracked.get(key)
        if tracked is not None and tracked.in_flight:
            what = describe_key(tracked)
            raise ExportRefused(
                f"{what} is already running (started {tracked.started_at:%H:%M:%S} UTC, "
                f"now {tracked.status}); wait for it to finish"
            )

    def _seen_for(self, job_id: str, compare_type: str, compare_job_id: str | None) -> _SeenExport | None:
        if compare_type == OBJECT_EXPORT_TYPE:
            return self._seen.get((job_id, compare_type, None))
        return self._seen.get((job_id, compare_type, compare_job_id))

    def _finish(self, tracked: _Tracked, status: str, message: str | None) -> None:
        tracked.status = status
        tracked.message = message
        tracked.finished_at = self._now()

    def _prune(self) -> None:
        """Keep every running export and the newest `keep_finished` finished ones."""
        finished = sorted(
            (t for t in self._tracked.values() if not t.in_flight),
            key=lambda t: t.finished_at or t.started_at,
            reverse=True,
        )
        for old in finished[self._keep_finished :]:
            del self._tracked[old.key]


def report_stem(job_name: str, compare_type: str, when: datetime) -> str:
    """`<job name>-<kind>-<UTC time>`: a report named so that whoever receives it knows what it
    is. Letters, digits, `.`, `-` and `_` only (any script: job names are often Chinese); the
    API layer adds the extension and a ` (1)` rather than overwrite."""
    name = _NOT_SAFE_IN_NAMES.sub("_", job_name).strip("._-")[:80].rstrip("._-") or "job"
    kind = _NOT_SAFE_IN_NAMES.sub("_", REPORT_KINDS.get(compare_type, compare_type)).strip("._-") or "report"
    return f"{name}-{kind}-{when.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"


def drs_key(job_id: str, compare_type: str, compare_job_id: str | None) -> str:
    return f"drs:{job_id}:{compare_type}:{compare_job_id or 'latest'}"


def sms_key(items: Sequence[Any]) -> str:
    """Same selection of tasks -> same key, so a repeated key press is refused."""
    ids = sorted(str(_item_field(item, "task_id")) for item in items)
    digest = hashlib.sha1("\n".join(ids).encode()).hexdigest()[:10]
    return f"sms:{len(ids)}:{digest}"


def describe_key(tracked: _Tracked) -> str:
    if tracked.kind == "sms":
        return f"an SMS export of {tracked.message}"
    target = short_id(tracked.compare_job_id, missing="the latest comparison")
    return f"the {tracked.compare_type} export of {tracked.job_name or tracked.job_id} ({target})"


def sms_batches(answer: Iterable[Any]) -> tuple[SmsBatchResult, ...]:
    """Per-batch results from the API's list of SmsExportBatchResult."""
    return tuple(
        SmsBatchResult(
            index=batch.batch_index,
            task_count=batch.items_count,
            ok=batch.ok,
            saved_path=str(batch.path) if batch.path else None,
            error=reasons.describe(batch.error) if batch.error is not None else None,
        )
        for batch in answer
    )


def _item_field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _export_states(jobs: Iterable[JobView]) -> dict[tuple[str, str, str | None], _SeenExport]:
    states: dict[tuple[str, str, str | None], _SeenExport] = {}
    for job in jobs:
        if job.object_comparison is not None:
            oc = job.object_comparison
            states[(job.id, OBJECT_EXPORT_TYPE, None)] = _SeenExport(
                oc.export_status, oc.report_remain_seconds, job.name, oc.compare_job_id
            )
        for dc in job.data_comparisons:
            states[(job.id, dc.compare_type, dc.id)] = _SeenExport(
                dc.export_status, dc.report_remain_seconds, job.name, dc.id
            )
    return states

