"""Multi-task jobs: a parent lists its child jobs in `children[]` of the job list. The monitor
shows every child as a job of its own (comparisons belong to the children) and gives the parent
the ids and names of its children and a verdict rolled up from theirs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from drstui.api.models.enums import JobStatusValue
from drstui.monitor import classify
from drstui.monitor.snapshot import JobView, Verdict


def flatten(raw_jobs: Iterable[Any]) -> tuple[list[Any], dict[str, str]]:
    """The listed jobs with each parent's children right after it, and child id -> parent id.
    A child also listed on its own is kept once."""
    out: list[Any] = []
    parents: dict[str, str] = {}
    seen: set[str] = set()
    for job in raw_jobs:
        for item in (job, *(getattr(job, "children", ()) or ())):
            job_id = getattr(item, "id", None)
            if job_id is None or job_id in seen:
                continue
            seen.add(job_id)
            out.append(item)
            if item is not job and getattr(job, "id", None):
                parents[job_id] = job.id
    return out, parents


def nest(views: Sequence[JobView], parents: dict[str, str]) -> list[JobView]:
    """Views with `parent_id` on the children and, on each parent, its children and the verdict
    rolled up over itself and them (failed > inconsistent > running > consistent)."""
    by_id = {view.id: view for view in views}
    children: dict[str, list[JobView]] = {}
    for child_id, parent_id in parents.items():
        if child_id in by_id and parent_id in by_id:
            children.setdefault(parent_id, []).append(by_id[child_id])
    out = []
    for view in views:
        if view.id in parents and parents[view.id] in by_id:
            view = replace(view, parent_id=parents[view.id])
        kids = children.get(view.id)
        if kids:
            verdicts = [view.verdict, *(kid.verdict for kid in kids)]
            # A child job that failed is a failed part of the parent, compared or not.
            verdicts += [Verdict.FAILED for kid in kids if JobStatusValue.parse(kid.status).is_failed]
            view = replace(view, child_ids=tuple(k.id for k in kids), child_names=tuple(k.name for k in kids),
                           verdict=classify.rollup([v for v in verdicts if v is not None]))
        out.append(view)
    return out
