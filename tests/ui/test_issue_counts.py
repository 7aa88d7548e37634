"""The jobs pane's issue count: the latest comparison of each kind only; a running one says
"comparing…" instead of counting its partial results; superseded runs are marked in the detail."""

from __future__ import annotations

from drstui.monitor.snapshot import (
    DataComparison,
    JobView,
    ObjectComparison,
    ObjectTypeRow,
    TableRow,
    TypeResult,
    Verdict,
)
from drstui.ui.detail_pane import data_rows, data_summary
from drstui.ui.jobs_pane import issue_counts, issues_cell


def tables(differing: int) -> tuple[TableRow, ...]:
    bad = tuple(TableRow("db", f"t{i}", "db", f"t{i}", 5, 4, 1, 0, "x", TypeResult.INCONSISTENT)
                for i in range(differing))
    return bad + (TableRow("db", "ok", "db", "ok", 5, 5, 0, 2, "y", TypeResult.CONSISTENT),)


def rows(kind: str, cid: str, status: str, differing: int) -> DataComparison:
    verdict = Verdict.RUNNING if status == "RUNNING" else Verdict.INCONSISTENT if differing else Verdict.CONSISTENT
    return DataComparison(cid, kind, status, verdict, tables=tables(differing))


def test_superseded_comparisons_count_for_nothing():
    job = JobView("j", "orders", "INCRE_TRANSFER_STARTED", data_comparisons=(
        rows("lines", "new", "SUCCESSFUL", 1), rows("lines", "old", "SUCCESSFUL", 7),
        rows("contents", "v", "SUCCESSFUL", 2)))
    assert issue_counts(job) == (3, 0, False)  # 1 + 2, not 1 + 7 + 2
    assert issues_cell(job).text == "3 differ"
    labels = [cells[0].text for _, cells in data_rows(job)]
    assert labels.count("lines (superseded)") == 8 and labels.count("lines") == 2
    assert "superseded lines old" in data_summary(job).plain


def test_a_running_comparison_shows_comparing_not_its_partial_counts():
    running_objects = ObjectComparison("o", "RUNNING", Verdict.RUNNING, rows=(
        ObjectTypeRow("TABLE", 40, 0, TypeResult.INCONSISTENT),))
    job = JobView("j", "orders", "INCRE_TRANSFER_STARTED", object_comparison=running_objects,
                  data_comparisons=(rows("lines", "new", "RUNNING", 4), rows("lines", "old", "SUCCESSFUL", 1)))
    assert issue_counts(job) == (0, 0, True)
    assert issues_cell(job).text == "comparing…"
