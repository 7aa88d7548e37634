"""The go/no-go of several scopes together: GO only when every scope's cutover set is GO."""

from __future__ import annotations

from datetime import datetime, timezone

from drstui.monitor.combine import combine
from drstui.monitor.scope import Scope
from drstui.monitor.snapshot import Connection, CutoverReadiness, LinkState, Readiness, Snapshot

AT = datetime(2026, 12, 5, 3, 0, tzinfo=timezone.utc)
BJ4 = Scope("bj4", "cn-north-4", "p1")
SH1 = Scope("sh1", "cn-east-3", "p2")


def scope_snapshot(readiness: CutoverReadiness | None) -> Snapshot:
    return Snapshot(profile="x", region="r", project_id="p", connection=Connection(LinkState.OK),
                    taken_at=AT, readiness=readiness)


def verdict(kind: Readiness, *reasons: str, ready: int = 0, total: int = 1) -> CutoverReadiness:
    return CutoverReadiness(kind, reasons, ready=ready, total=total, job_ids=("job-1",) * total)


def test_every_scope_ready_is_go_with_the_counts_added() -> None:
    latest = {BJ4: scope_snapshot(verdict(Readiness.READY, ready=2, total=2)),
              SH1: scope_snapshot(verdict(Readiness.READY, ready=1, total=1))}
    readiness = combine([BJ4, SH1], latest, label="view").readiness
    assert readiness is not None
    assert (readiness.verdict, readiness.ready, readiness.total) == (Readiness.READY, 3, 3)
    assert readiness.job_ids[0] == "bj4/cn-north-4/p1#job-1"


def test_one_scope_not_ready_is_no_go_and_names_the_scope() -> None:
    latest = {BJ4: scope_snapshot(verdict(Readiness.UNKNOWN, "orders: lag figure stale")),
              SH1: scope_snapshot(verdict(Readiness.NOT_READY, "billing: target link down"))}
    readiness = combine([BJ4, SH1], latest, label="view").readiness
    assert readiness is not None and readiness.verdict is Readiness.NOT_READY
    assert readiness.reasons == ("sh1 · billing: target link down", "bj4 · orders: lag figure stale")


def test_a_scope_not_heard_from_makes_it_unknown_never_go() -> None:
    latest = {BJ4: scope_snapshot(verdict(Readiness.READY, ready=1, total=1))}
    readiness = combine([BJ4, SH1], latest, label="view").readiness
    assert readiness is not None and readiness.verdict is Readiness.UNKNOWN
    assert readiness.reasons == ("sh1 · no verdict yet",)
    assert (readiness.ready, readiness.total) == (1, 1)
