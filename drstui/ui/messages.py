"""What screens and widgets ask of the App, as messages (they never import the App class).

A screen posts one of these; it bubbles up to the App, whose handlers do the work. The App may
import any screen, never the other way round.
"""

from __future__ import annotations

from textual.message import Message


class MonitorReady(Message):
    """The monitor screen is mounted: start monitoring (the first poll comes at once)."""


class MonitorResumed(Message):
    """The monitor screen is on top again: paint what arrived while it was covered."""


class ShowJobDetail(Message):
    """The highlighted job changed: show its detail (and, when chosen with Enter, focus it)."""

    def __init__(self, job_id: str | None, *, focus: bool = False) -> None:
        super().__init__()
        self.job_id = job_id
        self.focus = focus


class OpenObjectDetail(Message):
    """Drill into the objects of one type in an object-level comparison."""

    def __init__(self, job_id: str, job_name: str, object_type: str, compare_job_id: str | None) -> None:
        super().__init__()
        self.job_id = job_id
        self.job_name = job_name
        self.object_type = object_type
        self.compare_job_id = compare_job_id


class JumpTo(Message):
    """Back to the monitor screen with this job selected (an export without a job: the exports pane)."""

    def __init__(self, job_id: str | None, *, export: bool = False) -> None:
        super().__init__()
        self.job_id = job_id
        self.export = export
