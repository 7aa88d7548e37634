"""Tables narrower than their contents: which columns give way, and in what order.

A table keeps its most important columns whole (the jobs table: cutover verdict, lag,
comparison verdict, status) and lets the others give way first: names are cut (with `…`, the
whole name is in the detail), then a job status is written short (`INCR run` for
INCRE_TRANSFER_STARTED, the legend in the help). The last column (engine) may run off the
right edge: it is the one a user scrolls to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len

from drstui.text import visible

# Job statuses written short: the subject, then what happened to it. Long first: the first
# prefix that matches wins.
STATUS_SUBJECTS = (
    ("RELEASE_CHILD_TRANSFER", "REL CHILD"),
    ("INCRE_TRANSFER", "INCR"),
    ("FULL_TRANSFER", "FULL"),
    ("RELEASE_RESOURCE", "RELEASE"),
    ("CHILD_TRANSFER", "CHILD"),
    ("REBUILD_NODE", "REBUILD"),
    ("CHANGE_JOB", "CHANGE"),
    ("NODE_UPGRADE", "UPGRADE"),
    ("START_JOB", "START"),
    ("WAITING_FOR_START", "WAITING"),
    ("CONFIGURATION", "CONFIG"),
    ("STARTJOBING", "STARTING"),
)
STATUS_OUTCOMES = {"STARTED": "run", "STARTING": "starting", "START": "run", "FAILED": "FAIL",
                   "COMPLETE": "done"}
STATUS_LEGEND = (
    "Narrow terminals write job statuses short: INCR = INCRE_TRANSFER (incremental), FULL = "
    "FULL_TRANSFER, RELEASE = RELEASE_RESOURCE, CHILD = CHILD_TRANSFER; run = _STARTED, "
    "FAIL = _FAILED, done = _COMPLETE (INCR run = INCRE_TRANSFER_STARTED)."
)


def short_job_status(status: str) -> str:
    """`INCRE_TRANSFER_STARTED` -> `INCR run`; a status with no short form stays as it is."""
    for long, short in STATUS_SUBJECTS:
        if status == long:
            return short
        if status.startswith(long + "_"):
            rest = status[len(long) + 1:]
            return f"{short} {STATUS_OUTCOMES.get(rest, rest)}"
    return status


def text_width(text: str) -> int:
    """Terminal cells the text takes as a cell shows it (controls made visible, CJK double)."""
    return cell_len(visible(text))


def fit_widths(natural: Mapping[str, int], available: int,
               give_way: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Narrower widths for the `give_way` columns (in that order, each down to its minimum)
    so that the columns in `natural` fit in `available` cells; the others keep their width.
    Returns only the columns that must be narrower (empty: everything fits)."""
    excess = sum(natural.values()) - available
    widths: dict[str, int] = {}
    for key, minimum in give_way:
        if excess <= 0:
            break
        if key not in natural:
            continue
        cut = min(excess, max(0, natural[key] - minimum))
        if cut:
            widths[key] = natural[key] - cut
            excess -= cut
    return widths


def fits(natural: Mapping[str, int], available: int, give_way: Sequence[tuple[str, int]]) -> bool:
    room = sum(max(0, natural[key] - minimum) for key, minimum in give_way if key in natural)
    return sum(natural.values()) - room <= available
