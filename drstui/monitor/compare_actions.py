"""What the user can do to a running comparison (cancel, pause, restart) and to a job's scheduled
comparisons (the compare policy), validated before anything is sent.

A mixin of :class:`drstui.monitor.actions.Actions`: it uses the Actions' cloud, monitor,
read-only refusal and preview type. Every refusal is an ActionRefused with one clear line.

The documented comparison statuses have no "paused" value (a paused comparison keeps reading
RUNNING), so the pauses drstui sent itself are remembered here, and the UI says "paused".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drstui.api.models.lifecycle import ComparePolicy, ComparePolicyUpdate
from drstui.monitor import reasons
from drstui.monitor.action_types import JSON_CONTENT_TYPE, ActionRefused, RequestPreview
from drstui.monitor.snapshot import JobView
from drstui.monitor.source import MonitorError
from drstui.text import short_id

CANCEL_COMPARE_PATH = "/v3/{project_id}/jobs/{job_id}/compare/{compare_job_id}"
OPERATE_COMPARE_PATH = "/v5/{project_id}/jobs/{job_id}/compare/{verb}"
COMPARE_POLICY_PATH = "/v5/{project_id}/jobs/{job_id}/compare-policy"
COMPARE_VERBS = ("cancel", "pause", "restart")
PAUSABLE_TYPES = ("lines", "contents")  # pause/restart act on data-level comparisons only
VERB_DONE = {"cancel": "cancelled", "pause": "paused", "restart": "restarted"}


@dataclass(frozen=True)
class CompareChoice:
    """One unfinished comparison of a job, and what can be done to it."""

    compare_job_id: str
    compare_type: str  # object | lines | contents | random
    status: str
    paused: bool  # paused by drstui this session (the API does not say)
    verbs: tuple[str, ...]
    progress: float | None = None


def compare_choices(job: JobView, paused: set[str] | frozenset[str] = frozenset()) -> tuple[CompareChoice, ...]:
    """The comparisons of `job` that are still going, newest data comparisons first."""
    out: list[CompareChoice] = []
    for dc in job.data_comparisons:
        if dc.finished:
            continue
        verbs = ("cancel", "pause", "restart") if dc.compare_type in PAUSABLE_TYPES else ("cancel",)
        out.append(CompareChoice(dc.id, dc.compare_type, dc.status, dc.id in paused, verbs, dc.progress))
    oc = job.object_comparison
    if oc is not None and not oc.finished and oc.compare_job_id:
        out.append(CompareChoice(oc.compare_job_id, "object", oc.status, False, ("cancel",)))
    return tuple(out)


class CompareLifecycleActions:
    """Cancel / pause / restart comparisons; read and change the compare policy."""

    _cloud: Any
    _monitor: Any
    _operating: set[str]  # job/comparison pairs with a call in flight
    _policy_sending: set[str]  # jobs with a policy change in flight
    paused_comparisons: set[str]
    _refuse_if_read_only: Callable[[str], None]
    _project_id: Callable[[], str]
    _job: Callable[[str], Any]

    # -- cancel / pause / restart ------------------------------------------------------------
    def compare_choices(self, job_id: str) -> tuple[CompareChoice, ...]:
        return compare_choices(self._job(job_id), self.paused_comparisons)

    def check_compare_operation(self, job_id: str, compare_job_id: str, verb: str) -> CompareChoice:
        """The comparison to act on, or ActionRefused with the reason."""
        self._refuse_if_read_only(f"{_verb_ing(verb)} a comparison")
        if verb not in COMPARE_VERBS:
            raise ActionRefused(f"unknown comparison action {verb!r}")
        job = self._job(job_id)
        if job.is_parent:
            raise ActionRefused(f"{job.name} is a multi-task parent: its comparisons belong to its child jobs")
        choice = next((c for c in self.compare_choices(job_id) if c.compare_job_id == compare_job_id), None)
        if choice is None:
            raise ActionRefused(f"comparison {short_id(compare_job_id)} of {job.name} is not running "
                                "(finished, or not in the last refresh)")
        if verb not in choice.verbs:
            raise ActionRefused(f"only row and value comparisons can be paused or restarted, "
                                f"not a {choice.compare_type} comparison")
        if verb == "pause" and choice.paused:
            raise ActionRefused(f"comparison {short_id(compare_job_id)} is already paused (restart it instead)")
        if f"{job_id}/{compare_job_id}" in self._operating:
            raise ActionRefused(f"a request for comparison {compare_job_id[:8]} is on its way: wait for its answer")
        return choice

    def preview_compare_operation(self, job_id: str, compare_job_id: str, verb: str) -> RequestPreview:
        project = self._project_id()
        if verb == "cancel":
            path = CANCEL_COMPARE_PATH.format(project_id=project, job_id=job_id, compare_job_id=compare_job_id)
            return RequestPreview("DELETE", path, (), None)
        path = OPERATE_COMPARE_PATH.format(project_id=project, job_id=job_id, verb=verb)
        return RequestPreview("POST", path, (("Content-Type", JSON_CONTENT_TYPE),),
                              {"compare_job_ids": [compare_job_id]})

    async def operate_compare(self, job_id: str, compare_job_id: str, verb: str) -> str:
        """Cancel, pause or restart one comparison. Never sent twice at once; returns what
        happened in one line."""
        self.check_compare_operation(job_id, compare_job_id, verb)
        key = f"{job_id}/{compare_job_id}"
        self._operating.add(key)  # claimed before the first await
        drs = self._cloud.drs
        try:
            if verb == "cancel":
                await drs.cancel_compare(job_id, compare_job_id)
            elif verb == "pause":
                await drs.pause_compare(job_id, [compare_job_id])
            else:
                await drs.restart_compare(job_id, [compare_job_id])
        except Exception as error:
            raise MonitorError(f"comparison not {VERB_DONE[verb]}: {reasons.describe(error)}") from None
        finally:
            self._operating.discard(key)
            self._monitor.request_refresh()
        if verb == "pause":
            self.paused_comparisons.add(compare_job_id)
        else:
            self.paused_comparisons.discard(compare_job_id)
        return f"comparison {compare_job_id[:8]} {VERB_DONE[verb]}"

    # -- compare policy ----------------------------------------------------------------------
    async def compare_policy(self, job_id: str) -> ComparePolicy:
        """The job's scheduled comparisons (a read: allowed in read-only mode)."""
        try:
            return await self._cloud.drs.show_compare_policy(job_id)
        except Exception as error:
            raise MonitorError(f"compare policy not read: {reasons.describe(error)}") from None

    def check_policy_update(self, job_id: str, update: ComparePolicyUpdate) -> None:
        self._refuse_if_read_only("changing the compare policy")
        job = self._job(job_id)
        if job.is_parent:
            raise ActionRefused(f"{job.name} is a multi-task parent: set the policy on its child jobs")
        problems = update.problems()
        if problems:
            raise ActionRefused("; ".join(problems))
        if job_id in self._policy_sending:
            raise ActionRefused("a policy change for this job is on its way: wait for its answer")

    def preview_policy_update(self, job_id: str, update: ComparePolicyUpdate) -> RequestPreview:
        path = COMPARE_POLICY_PATH.format(project_id=self._project_id(), job_id=job_id)
        return RequestPreview("PUT", path, (("Content-Type", JSON_CONTENT_TYPE),), update.to_json())

    async def update_policy(self, job_id: str, update: ComparePolicyUpdate) -> ComparePolicy:
        """Send the new policy, then read it back (the PUT answers an empty body)."""
        self.check_policy_update(job_id, update)
        self._policy_sending.add(job_id)
        try:
            await self._cloud.drs.update_compare_policy(job_id, update)
        except Exception as error:
            raise MonitorError(f"compare policy not changed: {reasons.describe(error)}") from None
        finally:
            self._policy_sending.discard(job_id)
        return await self.compare_policy(job_id)


def _verb_ing(verb: str) -> str:
    return {"cancel": "cancelling", "pause": "pausing", "restart": "restarting"}.get(verb, verb)
