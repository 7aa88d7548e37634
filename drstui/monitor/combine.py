"""Several scopes in one view: one Snapshot made of each scope's newest one.

Each scope polls on its own; its jobs and exports are tagged with it (so they are known by
(scope, id)), and `Snapshot.scopes` says where each scope stands, so one scope failing marks only
its own jobs stale.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from drstui.monitor.scope import Scope, scoped_key
from drstui.monitor.snapshot import (
    Connection, CutoverReadiness, LinkState, Readiness, ScopeState, Snapshot,
)

# Worst first: the state a combined Snapshot reports when its scopes disagree.
_SEVERITY = (LinkState.AUTH_FAILED, LinkState.STALE, LinkState.RETRYING, LinkState.CONNECTING, LinkState.OK)


def worst(states: Iterable[LinkState]) -> LinkState:
    found = set(states)
    return next((state for state in _SEVERITY if state in found), LinkState.CONNECTING)


def combine(scopes: Sequence[Scope], latest: Mapping[Scope, Snapshot], *, label: str) -> Snapshot:
    """One Snapshot of several scopes: their jobs and exports tagged with their scope, the
    worst connection, the oldest data time (what the whole view can vouch for), and `scopes`
    with each one's own state. A scope with no Snapshot yet is CONNECTING."""
    jobs: list[Any] = []
    exports: list[Any] = []
    states: list[ScopeState] = []
    for scope in scopes:
        snapshot = latest.get(scope)
        if snapshot is None:
            states.append(ScopeState(scope, Connection(LinkState.CONNECTING)))
            continue
        jobs.extend(dataclasses.replace(job, scope=scope) for job in snapshot.jobs)
        exports.extend(dataclasses.replace(record, scope=scope, key=f"{scope.key}#{record.key}")
                       for record in snapshot.exports)
        states.append(ScopeState(scope, snapshot.connection, snapshot.taken_at, len(snapshot.jobs)))
    times = [s.taken_at for s in states if s.taken_at is not None]
    state = worst(s.connection.state for s in states)
    reasons = [f"{s.scope.label}: {s.connection.reason}" for s in states
               if s.connection.state is state and s.connection.reason]
    since = [s.connection.since for s in states if s.connection.state is state and s.connection.since]
    return Snapshot(
        profile=label,
        region=",".join(dict.fromkeys(s.region for s in scopes)),
        project_id="",
        connection=Connection(state, reason="; ".join(reasons) or None, since=min(since) if since else None),
        taken_at=min(times) if len(times) == len(states) and times else None,
        jobs=tuple(jobs),
        exports=tuple(exports),
        sequence=sum(latest[s].sequence for s in scopes if s in latest),
        scopes=tuple(states),
        readiness=combined_readiness(scopes, latest),
    )


def combined_readiness(scopes: Sequence[Scope], latest: Mapping[Scope, Snapshot]) -> CutoverReadiness:
    """The go/no-go of every scope's cutover set together: GO only when each scope is GO; a
    scope not heard from yet (or with no verdict) makes the whole UNKNOWN, never GO. Reasons
    name their scope, not-ready ones first."""
    not_ready: list[str] = []
    unknown: list[str] = []
    ready = total = 0
    job_ids: list[str] = []
    for scope in scopes:
        readiness = latest[scope].readiness if scope in latest else None
        if readiness is None:
            unknown.append(f"{scope.label} · no verdict yet")
            continue
        ready += readiness.ready
        total += readiness.total
        job_ids += [scoped_key(scope, job_id) for job_id in readiness.job_ids]
        reasons = [f"{scope.label} · {reason}" for reason in readiness.reasons]
        if readiness.verdict is Readiness.NOT_READY:
            not_ready += reasons
        elif readiness.verdict is Readiness.UNKNOWN:
            unknown += reasons or [f"{scope.label} · unknown"]
    if not_ready:
        verdict = Readiness.NOT_READY
    elif unknown:
        verdict = Readiness.UNKNOWN
    else:
        verdict = Readiness.READY
    return CutoverReadiness(verdict, tuple(not_ready + unknown), ready=ready, total=total,
                            job_ids=tuple(job_ids))


class ScopeSet:
    """Several Monitors as one source, for the headless commands: `refresh()` refreshes every
    scope at once (each with its own client, backoff and failures) and returns the combined
    Snapshot; `last_transitions` are every scope's, each naming its scope."""

    def __init__(self, monitors: Sequence[tuple[Scope, Any]], *, label: str) -> None:
        self.monitors = list(monitors)
        self.label = label
        self._latest: dict[Scope, Snapshot] = {}
        self.last_transitions: list[Any] = []
        self.snapshot: Snapshot | None = None

    @property
    def cutover_log(self) -> Any:
        return getattr(self.monitors[0][1], "cutover_log", None)

    async def refresh(self) -> Snapshot:
        import asyncio

        found = await asyncio.gather(*(monitor.refresh() for _, monitor in self.monitors))
        transitions: list[Any] = []
        for (scope, monitor), snapshot in zip(self.monitors, found):
            self._latest[scope] = snapshot
            transitions.extend(getattr(monitor, "last_transitions", ()))
        self.last_transitions = transitions
        self.snapshot = combine([scope for scope, _ in self.monitors], self._latest, label=self.label)
        return self.snapshot

    def next_delay(self) -> float:
        """Wait as long as the scope that asks for the shortest wait (each backs off on its own)."""
        return min(float(monitor.next_delay()) for _, monitor in self.monitors)
