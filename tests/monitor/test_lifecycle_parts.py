"""Pure parts of the comparison lifecycle in the monitor: family nesting, the SQL file text,
the policy reader's cache and the choices of the cancel/pause/restart dialog."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from drstui.monitor import family
from drstui.monitor.compare_actions import compare_choices
from drstui.monitor.differences import DifferenceLine, DifferencePage, sql_filename, sql_text
from drstui.monitor.policy import PolicyReader
from drstui.monitor.snapshot import DataComparison, JobView, ObjectComparison, Verdict


@dataclass
class RawJob:
    id: str
    children: list = field(default_factory=list)


def test_flatten_puts_children_after_their_parent_once():
    kid = RawJob("kid")
    jobs, parents = family.flatten([RawJob("p", [kid, RawJob("kid2")]), RawJob("solo"), kid])
    assert [j.id for j in jobs] == ["p", "kid", "kid2", "solo"]
    assert parents == {"kid": "p", "kid2": "p"}


def test_nest_rolls_the_verdict_up_and_names_the_children():
    views = [JobView("p", "parent", "INCRE_TRANSFER_STARTED", verdict=Verdict.CONSISTENT),
             JobView("a", "child-a", "INCRE_TRANSFER_STARTED", verdict=Verdict.INCONSISTENT),
             JobView("b", "child-b", "INCRE_TRANSFER_STARTED", verdict=Verdict.RUNNING)]
    parent, a, b = family.nest(views, {"a": "p", "b": "p"})
    assert parent.child_ids == ("a", "b") and parent.child_names == ("child-a", "child-b")
    assert parent.verdict is Verdict.INCONSISTENT and parent.is_parent
    assert a.parent_id == "p" and b.parent_id == "p" and not a.is_parent
    failed = family.nest([views[0], JobView("c", "child-c", "INCRE_TRANSFER_FAILED")], {"c": "p"})
    assert failed[0].verdict is Verdict.FAILED  # a failed child job, even without comparisons


def test_sql_text_keeps_the_sql_and_drops_terminal_controls():
    page = DifferencePage("job-1", "cmp-12345678-x", "orders", "items", 0, 50, 3, 1, 1, 1)
    rows = (DifferenceLine("only in source", "7", "SELECT * FROM t WHERE id = 7", ""),
            DifferenceLine("different", "8\x1b[2J", "SELECT 8\x1b]52;c;Zm9v\x07", "SELECT 8;"))
    text = sql_text("job\nname", page, rows)
    assert "\x1b" not in text and "\x07" not in text
    assert "SELECT * FROM t WHERE id = 7;" in text and "-- on the target:\nSELECT 8;" in text
    assert "-- job job name (job-1), table orders.items" in text
    assert "first 2 of them" in text  # 3 differ, 2 collected
    assert sql_filename(page) == "differences-orders.items-cmp-1234.sql"


class FakeDrs:
    def __init__(self):
        self.calls = 0

    async def show_compare_policy(self, job_id):
        self.calls += 1
        return f"policy-{self.calls}"


def test_policy_reader_reads_at_most_once_a_minute_unless_fresh():
    now = [datetime(2025, 1, 15, tzinfo=timezone.utc)]
    drs = FakeDrs()
    reader = PolicyReader(drs, lambda: now[0])

    async def run():
        assert await reader.policy("j") == "policy-1"
        now[0] += timedelta(seconds=30)
        assert await reader.policy("j") == "policy-1"
        assert await reader.policy("j", fresh=True) == "policy-2"
        now[0] += timedelta(seconds=61)
        assert await reader.policy("j") == "policy-3"

    asyncio.run(run())
    assert drs.calls == 3 and reader.cached("j") == "policy-3"


def test_choices_only_running_comparisons_and_what_each_allows():
    job = JobView("j", "job", "INCRE_TRANSFER_STARTED",
                  object_comparison=ObjectComparison("obj", "RUNNING", Verdict.RUNNING),
                  data_comparisons=(DataComparison("c1", "contents", "RUNNING", Verdict.RUNNING),
                                    DataComparison("c2", "lines", "SUCCESSFUL", Verdict.CONSISTENT),
                                    DataComparison("c3", "random", "RUNNING", Verdict.RUNNING)))
    choices = compare_choices(job, {"c1"})
    assert [(c.compare_job_id, c.verbs, c.paused) for c in choices] == [
        ("c1", ("cancel", "pause", "restart"), True), ("c3", ("cancel",), False), ("obj", ("cancel",), False)]
