"""Semantic tones for statuses and verdicts.

Colours are given as exact xterm-256 values picked so that a 16-colour terminal (TERM=xterm),
lowering each to its nearest of the 16, gets a distinct bright colour for each tone: OK bright
green, WARN bright yellow, BAD (failed) bright red, DIFF (inconsistent) bright magenta, BUSY
bright cyan. ANSI names ("green") are avoided: Textual maps them through its theme's palette to
colours a 16-colour terminal lowers to grey or red. Every coloured value also carries its own
glyph and word (✔ consistent, ✘ inconsistent, ⊘ failed, ◌ running), so colour is never the only
meaning and NO_COLOR loses nothing.
"""

from __future__ import annotations

from enum import StrEnum

from drstui.api.models.enums import CompareStatus, JobStatusValue
from drstui.monitor.snapshot import LinkState, TypeResult, Verdict


class Tone(StrEnum):
    """A Rich style, named by what it means."""

    OK = "#5fd75f"  # 16 colours: bright green
    WARN = "#ffd700"  # bright yellow
    BAD = "bold #ff5f5f"  # bright red
    DIFF = "bold #ff5fff"  # bright magenta: differs, but nothing broke
    BUSY = "#5fd7ff"  # bright cyan
    DIM = "dim"
    PLAIN = ""


# A changed cell is shown like this for one refresh.
CHANGED = "reverse bold"


VERDICT_LABELS: dict[Verdict, tuple[str, Tone]] = {
    Verdict.CONSISTENT: ("✔ consistent", Tone.OK),
    Verdict.INCONSISTENT: ("✘ inconsistent", Tone.DIFF),
    Verdict.RUNNING: ("◌ running", Tone.BUSY),
    Verdict.FAILED: ("⊘ failed", Tone.BAD),
    Verdict.NONE: ("– none", Tone.DIM),
    Verdict.UNKNOWN: ("? unknown", Tone.WARN),
}

RESULT_LABELS: dict[TypeResult, tuple[str, Tone]] = {
    TypeResult.CONSISTENT: ("✔ consistent", Tone.OK),
    TypeResult.INCONSISTENT: ("✘ inconsistent", Tone.DIFF),
    TypeResult.INCOMPLETE: ("◌ incomplete", Tone.WARN),
    TypeResult.UNKNOWN: ("? unknown", Tone.PLAIN),
}

# Triage order: what needs a human first sorts first.
VERDICT_SEVERITY: dict[Verdict, int] = {
    Verdict.FAILED: 0,
    Verdict.INCONSISTENT: 1,
    Verdict.UNKNOWN: 2,
    Verdict.RUNNING: 3,
    Verdict.NONE: 4,
    Verdict.CONSISTENT: 5,
}



def verdict_label(verdict: Verdict) -> tuple[str, Tone]:
    return VERDICT_LABELS.get(verdict, (str(verdict), Tone.PLAIN))


def result_label(result: TypeResult) -> tuple[str, Tone]:
    return RESULT_LABELS.get(result, (str(result), Tone.PLAIN))


def job_status_tone(status: str) -> Tone:
    """DRS job status: incremental running is the healthy steady state."""
    job = JobStatusValue.parse(status)
    if job.is_failed:
        return Tone.BAD
    if job.can_compare:
        return Tone.OK
    if job.is_settling:
        return Tone.WARN
    return Tone.PLAIN


def job_is_failed(status: str) -> bool:
    return JobStatusValue.parse(status).is_failed


def compare_status_tone(status: str) -> Tone:
    """Compare-task status."""
    state = CompareStatus.parse(status)
    if state is CompareStatus.SUCCESSFUL:
        return Tone.OK
    if state.is_error:
        return Tone.BAD
    if state is CompareStatus.CANCELLED:
        return Tone.WARN
    if state.is_active:
        return Tone.BUSY
    return Tone.PLAIN


def export_status_tone(status: str) -> Tone:
    """Export status (docs/api/drs.md §4.2) or a local phase of an export drstui runs."""
    upper = status.upper()
    if "FAIL" in upper or "ERROR" in upper:
        return Tone.BAD
    if upper in {"EXPORT_COMPLETE", "SAVED", "DOWNLOADED", "DONE", "COMPLETE"}:
        return Tone.OK
    if upper in {"PARTIAL", "PARTIAL_FAILED"}:
        return Tone.WARN
    if upper == "INIT":
        return Tone.DIM
    return Tone.BUSY


def link_tone(state: LinkState) -> Tone:
    return {
        LinkState.OK: Tone.OK,
        LinkState.CONNECTING: Tone.BUSY,
        LinkState.RETRYING: Tone.WARN,
        LinkState.STALE: Tone.BAD,
        LinkState.AUTH_FAILED: Tone.BAD,
    }.get(state, Tone.PLAIN)
