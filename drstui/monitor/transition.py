"""Transition: one state change worth telling, and its vocabulary (kinds, severities).

Found by changes.py, written by cutover_log.py, shown by the UI; it lives on its own so that
every side can import it without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from drstui.monitor.scope import Scope

INFO, WARNING, ERROR = "info", "warning", "error"

# Transition.kind values (stable: they are written to the cutover log).
JOB_STATUS = "job_status"
COMPARISON_STARTED = "comparison_started"
COMPARISON_STATUS = "comparison_status"
COMPARISON_VERDICT = "comparison_verdict"
OBJECT_COUNTS = "object_counts"
EXPORT_READY = "export_ready"
EXPORT_FAILED = "export_failed"
EXPORT_SAVED = "export_saved"
CONNECTION = "connection"


@dataclass(frozen=True)
class Transition:
    """One state change worth telling."""

    at: datetime
    job_id: str | None  # None for connection changes
    job_name: str | None
    comparison_id: str | None
    kind: str
    old: str | None
    new: str | None
    counts: dict[str, Any] = field(default_factory=dict, compare=False)
    severity: str = INFO
    message: str = ""
    scope: Scope | None = None  # whose job (profile, region, project); None: not known
