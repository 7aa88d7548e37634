"""Handlers for the comparison lifecycle: pause/restart (v5) and the compare policy (v5).

Shapes follow the official SDK: ``OperateDataCompareJobReq`` (``compare_job_ids``, mandatory)
answered 202 with ``{"request_id"}``; ``ShowComparePolicyResponse``; ``ModifyComparePolicyReq``
(``action`` mandatory) answered 200 with an empty object.

Rules the simulator enforces, choices marked *(sim)* where the docs leave room:

* pause/restart act on data-level (rows/values) comparisons of the job; every id must exist
  (``DRS.10000010``) and be in the right state, or nothing changes *(sim: pause needs a running,
  unpaused comparison; restart a paused one; a finished one refuses both)*;
* engines without pause/restart answer ``DRS.M10018`` (the documented error) *(sim: only
  MySQL→MySQL and MySQL→GaussDB jobs support it)*;
* the policy of an engine without periodic comparison reads ``NO_SUPPORT`` and cannot be changed;
  opening a policy needs ``period``, ``begin_time``, ``end_time`` and ``compare_type``; ``action``
  is ``open`` or ``close`` (the SDK's spelling; ``closed``, the API page's, is accepted too).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from .clock import iso_utc
from .drs import DrsContext, bad_request, task_not_found
from .messages import SimError, SimResponse, json_response
from .policy import PolicyState

PAUSE_ENGINES = ("mysql-to-mysql", "mysql-to-gaussdbv5")
POLICY_TYPES = ("object_comparison", "lines", "account", "contents")
_PERIOD = re.compile(r"^\* \* [1-7](,[1-7])*$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")


def _unsupported() -> SimError:
    return SimError(400, "DRS.M10018", "Current version does not support pause or restart compare job.")


def _compare_ids(ctx: DrsContext) -> list[str]:
    ids = ctx.body().get("compare_job_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise bad_request("Missing parameter: compare_job_ids must be a non-empty list of comparison IDs.")
    return list(dict.fromkeys(ids))


def _operate(ctx: DrsContext, verb: str) -> SimResponse:
    job = ctx.job()
    ids = _compare_ids(ctx)
    if job.engine.engine_type not in PAUSE_ENGINES:
        raise _unsupported()
    now = ctx.now
    chosen = []
    for compare_id in ids:  # check every id first: a refused request changes nothing
        comparison = job.comparison(compare_id)
        if comparison is None or comparison.kind not in ("lines", "contents"):
            raise task_not_found()
        timeline = comparison.timeline
        if timeline.is_finished(now):
            raise bad_request(f"The comparison {compare_id} has already finished.")
        if verb == "pause" and (timeline.status(now) != "RUNNING" or timeline.is_paused(now)):
            raise bad_request(f"The comparison {compare_id} is not running and cannot be paused.")
        if verb == "restart" and not timeline.is_paused(now):
            raise bad_request(f"The comparison {compare_id} is not paused and cannot be restarted.")
        chosen.append(timeline)
    for timeline in chosen:
        if verb == "pause":
            timeline.pause(now)
        else:
            timeline.resume(now)
    request_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{job.id}/{verb}/{','.join(ids)}/{now}")
    return json_response(202, {"request_id": str(request_id)})


def pause_compare(ctx: DrsContext) -> SimResponse:
    return _operate(ctx, "pause")


def restart_compare(ctx: DrsContext) -> SimResponse:
    return _operate(ctx, "restart")


def show_compare_policy(ctx: DrsContext) -> SimResponse:
    policy = _policy(ctx)
    if policy.status == "NO_SUPPORT":
        return json_response(200, {"status": "NO_SUPPORT"})
    next_run = policy.next_run(ctx.now)
    answer: dict[str, Any] = {
        "period": policy.period, "status": policy.status, "begin_time": policy.begin_time,
        "end_time": policy.end_time, "compare_type": list(policy.compare_type),
        "next_compare_time": iso_utc(next_run) if next_run is not None else "",
        "compare_policy": policy.compare_policy,
    }
    if policy.interval_hour is not None:
        answer["interval_hour"] = policy.interval_hour
    if policy.conflict_strategy is not None:
        answer["conflict_strategy"] = policy.conflict_strategy
    return json_response(200, answer)


def update_compare_policy(ctx: DrsContext) -> SimResponse:
    policy = _policy(ctx)
    body = ctx.body()
    action = body.get("action")
    if action not in ("open", "close", "closed"):
        raise bad_request("Invalid parameter: action must be open or close.")
    if policy.status == "NO_SUPPORT":
        raise bad_request("The comparison policy is not supported for this job.")
    if action != "open":
        policy.status = "CLOSED"
        return json_response(200, {})
    for name in ("period", "begin_time", "end_time"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise bad_request(f"Missing parameter: {name} is required when action is open.")
    if not _PERIOD.match(body["period"]):
        raise bad_request("Invalid parameter: period.")
    if not (_CLOCK.match(body["begin_time"]) and _CLOCK.match(body["end_time"])):
        raise bad_request("Invalid parameter: begin_time and end_time must be HH:mm:ss.")
    types = body.get("compare_type")
    if not isinstance(types, list) or not types or not all(t in POLICY_TYPES for t in types):
        raise bad_request("Invalid parameter: compare_type.")
    mode = body.get("compare_policy", policy.compare_policy)
    if mode not in ("normal", "manyToOne"):
        raise bad_request("Invalid parameter: compare_policy.")
    interval = body.get("interval_hour")
    if interval is not None and (isinstance(interval, bool) or not isinstance(interval, int) or interval < 1):
        raise bad_request("Invalid parameter: interval_hour.")
    strategy = body.get("conflict_strategy")
    if strategy not in (None, "cover", "ignore"):
        raise bad_request("Invalid parameter: conflict_strategy.")
    policy.status, policy.period = "OPEN", body["period"]
    policy.begin_time, policy.end_time = body["begin_time"], body["end_time"]
    policy.compare_type, policy.compare_policy = list(dict.fromkeys(types)), mode
    policy.interval_hour, policy.conflict_strategy = interval, strategy
    policy.last_slot = ctx.now  # only slots after this change run
    return json_response(200, {})


def _policy(ctx: DrsContext) -> PolicyState:
    job = ctx.job()
    if job.compare_policy is None:
        job.compare_policy = PolicyState(status="NO_SUPPORT")
    return job.compare_policy
