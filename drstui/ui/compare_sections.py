"""The detail pane's comparison-lifecycle section: how far each running comparison is, how far
behind its incremental compare runs, and rows being re-checked (which may be replication lag
rather than lost data). Its own widget, so other additions to the pane stay apart."""

from __future__ import annotations

from rich.text import Text

from drstui.monitor.snapshot import DataComparison, JobView
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
