"""`drstui report`: read the cutover logs of the window, take a fresh snapshot (unless
--offline), build the Report and write it as one HTML or Markdown file."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from drstui.config import ConfigError
from drstui.monitor.cutover_log import default_directory, log_path_for, read_records
from drstui.monitor.snapshot import utc_now
from drstui.private_files import write_private_text
from drstui.report.html import render_html
from drstui.report.markdown import render_markdown
from drstui.report.model import Report, build_report
from drstui.report.options import parse_when

DEFAULT_WINDOW = timedelta(hours=24)
RENDERERS = {"html": render_html, "md": render_markdown}


def window(since: str | None, until: str | None, now: datetime) -> tuple[datetime, datetime]:
    end = parse_when(until, now) if until else now
    start = parse_when(since, now) if since else end - DEFAULT_WINDOW
    if start > end:
        raise ConfigError(f"--since ({start:%Y-%m-%d %H:%M}Z) is after --until ({end:%Y-%m-%d %H:%M}Z)")
    return start, end


def log_files(directory: Path, since: datetime, until: datetime) -> list[Path]:
    """The existing daily logs (one per UTC day) that cover [since, until]."""
    files = []
    day = since.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    while day <= until:
        path = log_path_for(day, directory)
        if path.exists():
            files.append(path)
        day += timedelta(days=1)
    return files


def unknown_jobs(job_ids: Sequence[str], report: Report) -> list[str]:
    """The --job ids the report found nothing about (a typo, or a job outside the window)."""
    known = {job.id for job in report.jobs}
    return [job_id for job_id in job_ids if job_id not in known]


def default_output(report_format: str, now: datetime) -> Path:
    return Path(f"cutover-report-{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}.{report_format}")


def render(report: Report, report_format: str) -> str:
    return RENDERERS[report_format](report)


async def fresh_snapshot(settings: Any, job_ids: Sequence[str]) -> dict[str, Any]:
    """One refresh, as the `drstui snapshot --json` document (readiness included when known)."""
    from drstui.headless import selected_jobs, snapshot_status
    from drstui.headless_format import snapshot_document
    from drstui.wiring import open_session

    session = open_session(settings, job_ids=list(job_ids) or None)
    try:
        snapshot = await session.monitor.refresh()
    finally:
        await session.aclose()
    jobs = selected_jobs(snapshot, job_ids)
    return snapshot_document(snapshot, jobs, snapshot_status(snapshot, jobs))


def report_command(settings: Any, args: Any) -> int:
    """`drstui report`: called by drstui.cli with resolved Settings and the parsed flags."""
    now = utc_now()
    job_ids = list(dict.fromkeys(getattr(args, "job_ids", None) or []))
    report_format = args.report_format
    if settings.demo:
        with tempfile.TemporaryDirectory(prefix="drstui-report-demo-") as folder:
            from drstui.report.demo import rehearse

            path, document, began, ended = asyncio.run(rehearse(settings, Path(folder)))
            # The rehearsal ran on real times (the last half hour): --since/--until narrow it.
            since, until = (window(args.since, args.until, ended) if args.since or args.until
                            else (began, ended))
            report = build_report(read_records(path), document, since=since, until=until,
                                  generated_at=now, job_ids=job_ids,
                                  log_files=["demo rehearsal (temporary)"], demo=True)
    else:
        since, until = window(args.since, args.until, now)
        directory = Path(args.log_dir).expanduser() if args.log_dir else default_directory()
        files = log_files(directory, since, until)
        records = [record for path in files for record in read_records(path)]
        document = None if args.offline else asyncio.run(fresh_snapshot(settings, job_ids))
        report = build_report(records, document, since=since, until=until, generated_at=now,
                              job_ids=job_ids, log_files=[str(p) for p in files])
    for job_id in unknown_jobs(job_ids, report):
        print(f"drstui: --job {job_id}: not in the snapshot nor in the cutover log of this "
              "window; the report leaves it out", file=sys.stderr)
    text = render(report, report_format)
    return write(text, args.output, default_output(report_format, now))


def write(text: str, output: str | None, default: Path) -> int:
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    path = Path(output).expanduser() if output else default
    partial = path.with_name(f".{path.name}.partial")
    try:
        write_private_text(partial, text)
        os.replace(partial, path)
    except OSError as error:
        raise ConfigError(f"report not written to {path}: {error.strerror or error}") from None
    print(f"drstui: report written to {path}", file=sys.stderr)
    return 0
