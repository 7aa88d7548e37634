"""`drstui watch`: refresh until the selected jobs are decided, one line per transition."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import IO, Any

from drstui.headless_format import readiness_of
from drstui.headless_gate import (
    EXIT_BAD_ARGS,
    EXIT_CANNOT_TELL,
    EXIT_NOT_CONSISTENT,
    EXIT_NOT_READY,
    EXIT_UNREACHABLE,
    ready_outcome,
    selected_jobs,
    still_running,
    unknown_job_ids,
    verdict_text,
    watch_outcome,
)
from drstui.headless_output import say, say_at, unknown_jobs_message
from drstui.monitor.poller import utc_now
from drstui.monitor.readiness import GO_WORDS
from drstui.monitor.snapshot import JobView, LinkState, Readiness


async def watch_loop(
    session: Any,
    until: str = "consistent",
    timeout: float | None = None,
    *,
    job_ids: Sequence[str] = (),
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    now: Callable[[], datetime] = utc_now,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    """Refresh `session.monitor` until the selected jobs are decided; returns the exit status.

    `sleep` and `now` are injectable so tests drive time (advance a simulator clock inside the
    fake sleep). Transition lines come from `monitor.last_transitions`; the monitor itself
    appends them to its cutover log, if it has one.
    """
    if until not in ("consistent", "ready"):
        raise ValueError(f"unknown --until condition: {until!r}")
    out = out or sys.stdout
    err = err or sys.stderr
    monitor = session.monitor
    started = now()
    deadline = started + timedelta(seconds=timeout) if timeout else None
    log = getattr(monitor, "cutover_log", None)
    where = f"; cutover log {log.path_for(started)}" if log is not None and hasattr(log, "path_for") else ""
    say_at(out, started, f"watching {_selection(job_ids)} until {until} "
                        f"({'timeout ' + _duration(timeout) if timeout else 'no timeout'}){where}")
    baseline_told = False
    while True:
        snapshot = await monitor.refresh()
        for transition in monitor.last_transitions:
            if not job_ids or transition.job_id is None or transition.job_id in job_ids:
                say_at(out, transition.at, transition.message)
        state = snapshot.connection.state
        if state == LinkState.AUTH_FAILED:
            say_at(out, now(), f"giving up: {snapshot.connection.reason or 'credentials refused'}")
            return EXIT_UNREACHABLE
        if state == LinkState.OK:
            if not baseline_told:
                unknown = unknown_job_ids(snapshot, job_ids)
                if unknown:
                    say(err, unknown_jobs_message(snapshot, unknown, "watch"))
                    return EXIT_BAD_ARGS
                for job in selected_jobs(snapshot, job_ids):
                    text = _ready_text(job) if until == "ready" else _baseline_text(job)
                    say_at(out, snapshot.taken_at or now(), text)
                baseline_told = True
            jobs = selected_jobs(snapshot, job_ids)
            status, why = ready_outcome(snapshot, jobs) if until == "ready" else watch_outcome(jobs)
            if status is not None:
                say_at(out, now(), why)
                return status
        if deadline is not None and now() >= deadline:
            if state == LinkState.OK and until == "ready":
                jobs = selected_jobs(snapshot, job_ids)
                readiness = readiness_of(snapshot, jobs)
                say_at(out, now(), f"timed out after {_duration(timeout)}: {ready_outcome(snapshot, jobs)[1]}")
                told = readiness is not None and readiness.verdict is Readiness.NOT_READY
                return EXIT_NOT_READY if told else EXIT_CANNOT_TELL
            if state == LinkState.OK:
                why = watch_outcome(selected_jobs(snapshot, job_ids))[1]
                say_at(out, now(), f"timed out after {_duration(timeout)}: {why}")
                return EXIT_NOT_CONSISTENT
            reason = snapshot.connection.reason or "no answer"
            say_at(out, now(), f"timed out after {_duration(timeout)} while the API is "
                              f"unreachable: {reason}")
            return EXIT_UNREACHABLE
        delay = monitor.next_delay()
        if deadline is not None:
            delay = min(delay, (deadline - now()).total_seconds())
        await sleep(max(delay, 0.0))


def _ready_text(job: JobView) -> str:
    if job.readiness is None:
        return f"{job.name}: readiness not known"
    reasons = "".join(f"; {reason}" for reason in job.readiness.reasons)
    return f"{job.name}: {GO_WORDS[job.readiness.verdict]}{reasons}"


def _baseline_text(job: JobView) -> str:
    running = still_running(job)
    text = f"{job.name}: {verdict_text(job.verdict)}"
    if running:
        text += f" ({', '.join(running)})"
    if job.problems:
        text += f", problems: {'; '.join(job.problems)}"
    return text


def _selection(job_ids: Sequence[str]) -> str:
    if not job_ids:
        return "all jobs"
    return f"{len(job_ids)} job(s)"


def _duration(seconds: float | None) -> str:
    if not seconds:
        return "0s"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "") + (f"{secs}s" if secs else "")
    return text or "0s"
