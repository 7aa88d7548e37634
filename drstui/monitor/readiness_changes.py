"""Readiness transitions: a job (or the cutover set) becomes ready or stops being ready, and a
job's lag crosses `max_lag` either way. Written to the cutover log like every other transition
(`drstui.monitor.changes`), with these kinds and fields:

- ``job_readiness``: old/new = ready | not_ready | unknown, counts ``{"reasons": [...]}``;
- ``cutover_readiness`` (no job): the same for the whole cutover set, plus ``ready``/``total``;
- ``lag_threshold``: old/new = under | over, counts ``{"lag_ms": ...}``; told when the lag has
  stayed on its new side for two reads in a row (``Replication.lag_settled``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from drstui.monitor.transition import INFO, WARNING, Transition
from drstui.monitor.readiness import GO_WORDS, OVER, UNDER, lag_text
from drstui.monitor.snapshot import JobView, Readiness, Snapshot

JOB_READINESS = "job_readiness"
CUTOVER_READINESS = "cutover_readiness"
LAG_THRESHOLD = "lag_threshold"


def readiness_transitions(old: Snapshot, new: Snapshot, at: datetime) -> Iterator[Transition]:
    """What changed in readiness and lag between two Snapshots (both taken after a refresh)."""
    if new.taken_at is None or new.taken_at == old.taken_at:
        return  # a kept Snapshot (failed refresh) changes nothing
    for job in new.jobs:
        before = old.job(job.id)
        if before is not None:
            yield from _job(before, job, at)
    yield from _cutover(old, new, at)


def _job(old: JobView, new: JobView, at: datetime) -> Iterator[Transition]:
    if new.readiness is None:
        return  # not in the cutover set
    was = old.readiness.verdict if old.readiness is not None else None
    now = new.readiness.verdict
    if was is not None and was != now:
        reasons = list(new.readiness.reasons)
        if now is Readiness.READY:
            severity, text = INFO, "ready for cutover"
        elif was is Readiness.READY:
            severity, text = WARNING, f"no longer ready: {'; '.join(reasons) or now.value}"
        else:
            severity, text = INFO, f"readiness {was.value} → {now.value}: {'; '.join(reasons)}"
        yield Transition(at, new.id, new.name, None, JOB_READINESS, was.value, now.value,
                         {"reasons": reasons}, severity, f"{new.name}: {text}")
    # The settled side, not the last read: a one-read blip over the threshold is no crossing.
    before = old.replication.lag_settled if old.replication is not None else None
    after = new.replication.lag_settled if new.replication is not None else None
    if {before, after} == {OVER, UNDER}:
        assert new.replication is not None
        lag = new.replication.lag_ms
        if after == OVER:
            severity, text = WARNING, f"lag {lag_text(lag)} over the threshold"
        else:
            severity, text = INFO, f"lag back under the threshold ({lag_text(lag)})"
        yield Transition(at, new.id, new.name, None, LAG_THRESHOLD, before, after,
                         {"lag_ms": lag}, severity, f"{new.name}: {text}")


def _cutover(old: Snapshot, new: Snapshot, at: datetime) -> Iterator[Transition]:
    was, now = old.readiness, new.readiness
    if was is None or now is None or was.verdict == now.verdict:
        return
    reasons = list(now.reasons)
    word = GO_WORDS[now.verdict]
    text = f"{word}: {now.ready}/{now.total} ready" + (f" · {' · '.join(reasons)}" if reasons else "")
    severity = INFO if now.verdict is Readiness.READY else WARNING
    yield Transition(at, None, None, None, CUTOVER_READINESS, was.verdict.value, now.verdict.value,
                     {"reasons": reasons, "ready": now.ready, "total": now.total}, severity, text)
