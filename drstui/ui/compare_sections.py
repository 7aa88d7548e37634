"""The detail pane's comparison-lifecycle section: how far each running comparison is, how far
behind its incremental compare runs, and rows being re-checked (which may be replication lag
rather than lost data). Its own widget, so other additions to the pane stay apart."""

from __future__ import annotations

from collections.abc import Callable

from typing import Any

from rich.text import Text

from drstui.monitor.snapshot import DataComparison, JobView
from drstui.monitor.source import MonitorError
from drstui.ui.formatting import human_duration, short_id
from drstui.ui.plain import PlainStatic
from drstui.ui.theme import Tone


def live_line(comparison: DataComparison) -> Text | None:
    """One line (two with re-checks) about a running comparison; None once it finished."""
    live = comparison.live
    if comparison.finished or live is None:
        return None
    text = Text()
    text.append(f"{comparison.compare_type} {short_id(comparison.id)}", "bold")
    if live.full_percent is not None:
        text.append(f" · full pass {live.full_percent:.0f}%")
    if live.incremental_delay is not None:
        delay = live.incremental_delay
        text.append(" · incremental delay ")
        # 0: every incremental change has been compared (the SDK's words); seconds otherwise.
        text.append(human_duration(delay) if delay > 0 else "0 (caught up)",
                    Tone.WARN if delay >= 60 else Tone.PLAIN)
    if live.speed:
        text.append(f" · {live.speed}", Tone.DIM)
    if live.recheck_rows:
        rows = live.recheck_rows
        text.append(f"\n  ⚠ {rows} row{'s' if rows != 1 else ''} being re-checked: may be replication lag, "
                    "not yet a difference", Tone.WARN)
    return text


def live_text(job: JobView | None) -> Text:
    if job is not None and job.is_parent:
        text = Text("Child jobs: ", "bold")
        text.append(", ".join(job.child_names))
        text.append("  (multi-task: the comparisons are theirs; c offers them)", Tone.DIM)
        return text
    lines = [line for line in (live_line(c) for c in (job.data_comparisons if job else ())) if line]
    if not lines:
        return Text("")
    text = Text("Running comparisons", "bold")
    text.append("  (x: cancel / pause / restart)", Tone.DIM)
    for line in lines:
        text.append("\n  ")
        text.append_text(line)
    return text


class CompareLiveSection(PlainStatic):
    """Progress and re-checks of the job's running comparisons (hidden when none runs)."""

    DEFAULT_CSS = """
    CompareLiveSection { height: auto; padding: 0 1; }
    CompareLiveSection.-none { display: none; }
    """

    def show(self, job: JobView | None) -> None:
        text = live_text(job)
        self.set_class(not text.plain, "-none")
        if getattr(self, "_shown_text", None) != text:
            self._shown_text = text
            self.update(text)


# -- scheduled comparisons (compare policy) ---------------------------------------------------
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekday_text(days: tuple[int, ...]) -> str:
    if days == tuple(range(1, 8)):
        return "every day"
    return ", ".join(WEEKDAYS[d - 1] for d in days) if days else "no day"


def policy_text(job: JobView | None, policy: Any, error: str | None = None) -> Text:
    """The job's compare policy in one or two lines (`policy`: an api ComparePolicy or None)."""
    text = Text("Scheduled comparisons: ", "bold")
    if job is None:
        return Text("")
    if job.is_parent:
        text.append("set on the child jobs", Tone.DIM)
        return text
    if error:
        text.append(f"not read ({error})", Tone.WARN)
        return text
    if policy is None:
        text.append("⟳ reading…", Tone.BUSY)
        return text
    status = (policy.status or "UNKNOWN").upper()
    if status == "NO_SUPPORT":
        text.append("not supported for this job", Tone.DIM)
        return text
    text.append(status, Tone.OK if status == "OPEN" else Tone.DIM)
    if policy.weekdays or policy.begin_time:
        text.append(f" · {weekday_text(policy.weekdays) if policy.weekdays else policy.period or '–'}")
        text.append(f" {policy.begin_time or '?'}–{policy.end_time or '?'} UTC")
    if policy.interval_hour:
        text.append(f" · every {policy.interval_hour} h")
    if policy.compare_type:
        text.append(f" · {', '.join(policy.compare_type)}")
    if policy.conflict_strategy:
        text.append(f" · if one runs: {policy.conflict_strategy}", Tone.DIM)
    if status == "OPEN":
        text.append("\n  next run ")
        text.append(policy.next_compare_time.strftime("%Y-%m-%d %H:%M UTC") if policy.next_compare_time
                    else (policy.next_compare_time_raw or "not scheduled"), "bold")
    text.append("  (t: edit)", Tone.DIM)
    return text


class ComparePolicySection(PlainStatic):
    """The highlighted job's compare policy, read on demand through the PolicyReader of the
    job's own scope (`reader_for(job)`; None: that source has none and the section is hidden)."""

    DEFAULT_CSS = """
    ComparePolicySection { height: auto; padding: 0 1; }
    ComparePolicySection.-none { display: none; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.reader_for: Callable[[JobView], Any] | None = None
        self.reader: Any = None  # the shown job's
        self.job: JobView | None = None
        self.policy: Any = None
        self.error: str | None = None

    def show(self, job: JobView | None, *, fresh: bool = False) -> None:
        same = job is not None and self.job is not None and job.key == self.job.key
        self.job = job
        self.reader = self.reader_for(job) if self.reader_for is not None and job is not None else None
        if self.reader is None or job is None:
            self.set_class(True, "-none")
            return
        self.set_class(False, "-none")
        if not same or fresh:
            self.policy = self.reader.cached(job.id)
            self.error = None
            self._paint()
            if not job.is_parent:
                self.run_worker(self._load(self.reader, job.key, job.id, fresh), group="compare-policy",
                                exclusive=True)

    async def _load(self, reader: Any, key: str, job_id: str, fresh: bool) -> None:
        try:
            policy = await reader.policy(job_id, fresh=fresh)
        except MonitorError as error:
            if self.job is not None and self.job.key == key:
                self.error = str(error).removeprefix("compare policy not read: ")[:120]
                self._paint()
            return
        if self.job is not None and self.job.key == key:
            self.policy, self.error = policy, None
            self._paint()

    def _paint(self) -> None:
        self.update(policy_text(self.job, self.policy, self.error))
