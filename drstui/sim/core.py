"""The simulator core: one pure ``handle(SimRequest) -> SimResponse``, shared by both adapters.

Per request, in order: route by path (404 ``APIGW.0101`` if no route) → fault decision (refuse,
429, 5xx short-circuit) → authentication (IAM token or AK/SK signature; 401 ``APIGW.0301``) →
project check (path project must be the credentials' project; 403 ``APIGW.0302``) → handler →
body faults (malformed / wrong type / unknown enum) → ``X-Request-Id``. Every request is counted
per endpoint and kept (bounded) in :attr:`SimCore.log` and :attr:`SimCore.received`.

Build one with :meth:`SimCore.create`. State changes only through requests and the clock; one
lock makes ``handle`` safe to call from server threads.
"""

from __future__ import annotations

import json
import math
import random
import re
import threading
import traceback
from collections import Counter, deque
from dataclasses import dataclass
from email.utils import formatdate
from fnmatch import fnmatchcase
from typing import Any, Callable
from urllib.parse import unquote

from . import drs, drs_compare, drs_data, lifecycle, replication, schedule, sms
from .clock import Clock, ManualClock
from .credentials import SimCredentials
from .faults import FaultDecision, FaultPlan
from .iam import TOKEN_LIFETIME_SECONDS, TokenIssuer, list_projects
from .messages import SimError, SimRequest, SimResponse, json_response
from .signature import SignatureRejected, parse_authorization, verify_signature
from .build import build_world
from .world import World, WorldSettings

AK_LOCK_AFTER_FAILURES = 5
AK_LOCK_SECONDS = 300


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    endpoint: str  # stable name, used in the request log and counters
    handler: Callable[..., SimResponse] | None
    service: str  # "drs", "sms" or "iam"

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.template) + "/?$")


def _drs(method: str, template: str, endpoint: str, handler: Callable[..., SimResponse]) -> Route:
    return Route(method, template, f"drs.{endpoint}", handler, "drs")


def _sms(method: str, template: str, endpoint: str, handler: Callable[..., SimResponse]) -> Route:
    return Route(method, template, f"sms.{endpoint}", handler, "sms")


P = "/{project_id}/jobs"
ROUTES: tuple[Route, ...] = (
    Route("POST", "/v3/auth/tokens", "iam.create_token", None, "iam"),
    Route("GET", "/v3/projects", "iam.list_projects", None, "iam"),
    # DRS v3
    _drs("POST", f"/v3{P}/create-compare-task", "create_compare_task", drs_compare.create_compare_task),
    _drs("POST", f"/v3{P}/batch-status", "batch_status", drs.batch_status),
    _drs("POST", f"/v3{P}/batch-progress", "batch_progress", replication.batch_progress),
    _drs("POST", f"/v3{P}/batch-rpo-and-rto", "batch_rpo_rto", replication.batch_rpo_rto),
    _drs("POST", f"/v3{P}/query-compare-result", "query_compare_result", drs_data.query_compare_result),
    _drs("POST", f"/v3{P}", "list_jobs_v3", drs.list_jobs_v3),
    _drs("GET", f"/v3{P}/{{job_id}}/object/compare", "object_compare_overview", drs_compare.object_compare_overview),
    _drs("GET", f"/v3{P}/{{job_id}}/object/compare/{{compare_type}}", "object_compare_detail",
         drs_compare.object_compare_detail),
    _drs("POST", f"/v3{P}/{{job_id}}/compare/result/file", "export_result_file", drs_data.export_result_file),
    _drs("GET", f"/v3{P}/{{job_id}}/compare/result/file", "download_result_file", drs_data.download_result_file),
    _drs("GET", f"/v3{P}/{{job_id}}/compare/{{compare_job_id}}/line-overview", "line_overview", drs_data.line_overview),
    _drs("GET", f"/v3{P}/{{job_id}}/compare/{{compare_job_id}}/line-detail", "line_detail", drs_data.line_detail),
    _drs("GET", f"/v3{P}/{{job_id}}/compare/{{compare_job_id}}/content-overview", "content_overview",
         drs_data.content_overview),
    _drs("GET", f"/v3{P}/{{job_id}}/compare/{{compare_job_id}}/content-detail", "content_detail",
         drs_data.content_detail),
    _drs("GET", f"/v3{P}/{{job_id}}/compare/{{compare_job_id}}/content-difference", "content_difference",
         drs_data.content_difference),
    _drs("DELETE", f"/v3{P}/{{job_id}}/compare/{{compare_job_id}}", "cancel_compare", drs_compare.cancel_compare),
    _drs("GET", f"/v3{P}/{{job_id}}/table/compare", "table_compare_jobs", drs_data.table_compare_jobs),
    # DRS v5
    _drs("GET", f"/v5{P}", "list_jobs", drs.list_jobs_v5),
    _drs("GET", f"/v5{P}/{{job_id}}", "job_detail", drs.job_detail_v5),
    _drs("GET", f"/v5{P}/{{job_id}}/monitor-data", "monitor_data", replication.monitor_data),
    _drs("GET", f"/v5{P}/{{job_id}}/ddl", "job_ddls", replication.job_ddls),
    _drs("GET", f"/v5{P}/{{job_id}}/health-compare-jobs", "health_compare_jobs", drs_compare.health_compare_jobs),
    _drs("GET", f"/v5{P}/{{job_id}}/health-compare-jobs/object/{{compare_job_id}}", "health_object_overview",
         drs_compare.health_object_overview),
    _drs("GET", f"/v5{P}/{{job_id}}/health-compare-jobs/{{compare_job_id}}", "health_compare_detail",
         drs_compare.health_compare_detail),
    _drs("GET", f"/v5{P}/{{job_id}}/compare-progress/{{compare_job_id}}", "compare_progress",
         drs_data.compare_progress),
    _drs("POST", f"/v5{P}/{{job_id}}/compare/pause", "pause_compare", lifecycle.pause_compare),
    _drs("POST", f"/v5{P}/{{job_id}}/compare/restart", "restart_compare", lifecycle.restart_compare),
    _drs("GET", f"/v5{P}/{{job_id}}/compare-policy", "show_compare_policy", lifecycle.show_compare_policy),
    _drs("PUT", f"/v5{P}/{{job_id}}/compare-policy", "update_compare_policy", lifecycle.update_compare_policy),
    # SMS v3 (no project id in the path)
    _sms("GET", "/v3/tasks", "list_tasks", sms.list_tasks),
    _sms("GET", "/v3/tasks/{task_id}/consistency-result", "consistency_result", sms.consistency_result),
    _sms("POST", "/v3/tasks/consistency-results/export", "export_consistency_results",
         sms.export_consistency_results),
    _sms("GET", "/v3/sources", "list_sources", sms.list_sources),
)
_COMPILED = [(route, route.pattern) for route in ROUTES]
STATUS_KEYS = ("status", "export_status", "state", "compare_task_status", "object_compare_result",
               "line_compare_result", "content_compare_result")


@dataclass(frozen=True)
class LogEntry:
    time: float  # simulated clock
    method: str
    path: str
    endpoint: str
    status: int
    faults: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReceivedRequest:
    time: float
    endpoint: str
    request: SimRequest


@dataclass(frozen=True)
class Principal:
    method: str  # "token" or "aksk"
    project_id: str | None


class SimCore:
    def __init__(self, world: World, credentials: SimCredentials, faults: FaultPlan | None = None,
                 log_size: int = 2000, received_size: int = 500) -> None:
        self.world = world
        self.credentials = credentials
        self.faults = faults if faults is not None else FaultPlan(world.settings.seed)
        self.tokens = TokenIssuer(credentials, world.settings.seed)
        self.log: deque[LogEntry] = deque(maxlen=log_size)
        self.received: deque[ReceivedRequest] = deque(maxlen=received_size)
        self.counts: Counter[str] = Counter()  # endpoint name -> requests (never trimmed)
        self._lock = threading.RLock()
        self._request_ids = random.Random(f"{world.settings.seed}/request-ids")
        self._ak_failures: dict[str, int] = {}
        self._ak_locked_until: dict[str, float] = {}

    @classmethod
    def create(cls, seed: int = 7, clock: Clock | None = None, jobs: int | None = None, tables: int | None = None,
               credentials: SimCredentials | None = None, faults: FaultPlan | list[str] | None = None,
               settings: WorldSettings | None = None, **world_options: Any) -> "SimCore":
        """A core over a fresh world. ``clock`` defaults to a :class:`ManualClock` (tests)."""
        credentials = credentials or SimCredentials()
        settings = settings or WorldSettings()
        settings.seed = seed
        settings.project_id = credentials.project_id
        settings.region = credentials.region
        world = build_world(clock or ManualClock(), settings, jobs=jobs, tables=tables, **world_options)
        plan = faults if isinstance(faults, FaultPlan) else FaultPlan(seed, list(faults or []))
        return cls(world, credentials, plan)

    @property
    def clock(self) -> Clock:
        return self.world.clock

    # -- inspection -------------------------------------------------------------------------
    def count(self, endpoint: str | None = None, method: str | None = None, path_glob: str | None = None) -> int:
        """Requests seen. Without ``path_glob`` this uses the exact, untrimmed counters."""
        if path_glob is None and method is None:
            return self.counts[endpoint] if endpoint else sum(self.counts.values())
        return sum(1 for e in self.log
                   if (endpoint is None or e.endpoint == endpoint) and (method is None or e.method == method)
                   and (path_glob is None or fnmatchcase(e.path, path_glob)))

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.received.clear()
            self.counts.clear()

    # -- the one entry point ----------------------------------------------------------------
    def handle(self, request: SimRequest) -> SimResponse:
        with self._lock:
            now = self.clock.now()
            route, params = self._route(request)
            endpoint = route.endpoint if route else "unknown"
            decision = self.faults.decide(request.path)
            request_id = f"{self._request_ids.getrandbits(128):032x}"
            response = self._respond(request, route, params, decision, request_id)
            response.headers["X-Request-Id"] = request_id
            # As a real gateway does: the server's time, which lets a client whose signature was
            # rejected for clock skew tell by how much its clock is off.
            response.headers.setdefault("Date", formatdate(self.clock.signing_now(), usegmt=True))
            response.delay_seconds = decision.delay_seconds
            self.counts[endpoint] += 1
            self.log.append(LogEntry(now, request.method, request.path, endpoint,
                                     response.status if response.fault is None else 0, tuple(decision.applied)))
            self.received.append(ReceivedRequest(now, endpoint, request))
            return response

    def _route(self, request: SimRequest) -> tuple[Route | None, dict[str, str]]:
        for route, pattern in _COMPILED:
            if route.method != request.method:
                continue
            match = pattern.match(request.path)
            if match:
                return route, {k: unquote(v) for k, v in match.groupdict().items()}
        return None, {}

    def _respond(self, request: SimRequest, route: Route | None, params: dict[str, str],
                 decision: FaultDecision, request_id: str) -> SimResponse:
        if decision.refuse:
            return SimResponse(0, fault="refuse")
        if route is None:
            return self._gateway_error(404, "APIGW.0101", "The API does not exist or has not been published in "
                                       "the environment.", request_id)
        if decision.error_status == 429:
            response = self._gateway_error(429, "APIGW.0308", "The throttling threshold has been reached: "
                                           "policy user over ratelimit.", request_id)
            response.headers["Retry-After"] = str(max(1, math.ceil(decision.retry_after or 1)))
            return response
        if decision.error_status is not None:
            return self._gateway_error(decision.error_status, "SIM.0500",
                                       "Injected fault: the service answered with a server error.", request_id)
        try:
            response = self._dispatch(request, route, params, decision)
        except SimError as error:
            body = error.body()
            if error.code.startswith("APIGW"):
                body["request_id"] = request_id
            response = json_response(error.status, body)
        except Exception:  # a simulator bug must not kill the server; say so without details
            traceback.print_exc()
            response = json_response(500, {"error_code": "SIM.0000", "error_msg": "Simulator internal error."})
        if decision.body_fault and response.status < 300:
            response.body = mutate_body(response.body, decision.body_fault)
        if decision.drop:
            response.fault = "drop"
        elif decision.hang_seconds is not None:
            response.fault, response.hang_seconds = "hang", decision.hang_seconds
        return response

    def _dispatch(self, request: SimRequest, route: Route, params: dict[str, str],
                  decision: FaultDecision) -> SimResponse:
        now = self.clock.now()
        if route.endpoint == "iam.create_token":
            return self.tokens.handle(request, now)
        principal = self._authenticate(request, decision, now)
        if route.endpoint == "iam.list_projects":
            return list_projects(self.credentials, request)
        if route.service == "sms":
            return route.handler(sms.SmsContext(self.world, request, params))  # type: ignore[misc]
        project = self.world.projects.get(params["project_id"])
        if project is None or principal.project_id != project.id:
            raise SimError(403, "APIGW.0302", "The IAM user is not authorized to access the API "
                           "(the project in the path is not the project of the credentials).")
        schedule.catch_up(self.world, now)  # scheduled comparisons that came due
        return route.handler(drs.DrsContext(self.world, project, request, params))  # type: ignore[misc]

    # -- authentication ---------------------------------------------------------------------
    def _authenticate(self, request: SimRequest, decision: FaultDecision, now: float) -> Principal:
        token = request.header("x-auth-token")
        if token:
            issued = self.tokens.lookup(token.strip())
            if issued is None:
                raise auth_error("decrypt token fail")
            lifetime = TOKEN_LIFETIME_SECONDS
            if decision.token_lifetime is not None:
                lifetime = min(lifetime, decision.token_lifetime)
            if now >= issued.issued_at + lifetime:
                raise auth_error("token expired")
            return Principal("token", issued.project_id)
        if request.header("authorization"):
            self._verify_aksk(request, now)
            return Principal("aksk", (request.header("x-project-id") or self.credentials.project_id).strip())
        raise auth_error("no X-Auth-Token or Authorization header")

    def _verify_aksk(self, request: SimRequest, now: float) -> str:
        ak = self.credentials.ak
        try:
            claimed = parse_authorization(request.header("authorization") or "").access_key
        except SignatureRejected as rejected:
            raise auth_error(rejected.reason) from None
        if claimed == ak and self._ak_locked_until.get(ak, 0) > now:
            raise auth_error("the access key is locked after repeated signature failures; retry later")
        try:
            verified = verify_signature(request, {ak: self.credentials.sk}, self.clock.signing_now())
        except SignatureRejected as rejected:
            if claimed == ak:
                self._count_failure(ak, now)
            raise auth_error(rejected.reason) from None
        self._ak_failures[ak] = 0  # the lock counts *consecutive* failures
        return verified

    def _count_failure(self, ak: str, now: float) -> None:
        failures = self._ak_failures.get(ak, 0) + 1
        self._ak_failures[ak] = failures
        if failures >= AK_LOCK_AFTER_FAILURES:
            self._ak_locked_until[ak] = now + AK_LOCK_SECONDS
            self._ak_failures[ak] = 0

    def _gateway_error(self, status: int, code: str, message: str, request_id: str) -> SimResponse:
        return json_response(status, {"error_code": code, "error_msg": message, "request_id": request_id})


def auth_error(reason: str) -> SimError:
    return SimError(401, "APIGW.0301", f"Incorrect IAM authentication information: {reason}")


# ---------------------------------------------------------------------------------------------
# body faults

def mutate_body(body: bytes, kind: str) -> bytes:
    if kind == "malformed":
        return body[: max(1, len(body) // 2)] + b"\x00<html>"
    try:
        payload = json.loads(body.decode("utf-8"))
    except ValueError:
        return body
    if kind == "wrong-type":
        _flip_first_scalar(payload)
    elif kind == "unknown-enum":
        _unknown_enum(payload)
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


def _walk(node: Any):
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _flip_first_scalar(payload: Any) -> None:
    for container, key, value in _walk(payload):
        if isinstance(value, int) and not isinstance(value, bool):
            container[key] = str(value)
            return
    for container, key, value in _walk(payload):
        if isinstance(value, str):
            container[key] = 12345
            return


def _unknown_enum(payload: Any) -> None:
    for container, key, value in _walk(payload):
        if key in STATUS_KEYS:
            container[key] = 99 if isinstance(value, int) and not isinstance(value, bool) else "SIM_UNKNOWN_VALUE"
            return
