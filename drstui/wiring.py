"""Assembly: turn resolved Settings into a running stack (cloud client → monitor → app).

This is the one module that knows every layer. `drstui --demo` and the headless commands use
the same path as a real profile; the only difference is where the transport points (the
in-process simulator instead of the network).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as _dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drstui.config_schema import ConfigError, Settings

log = logging.getLogger("drstui")

# Demo time runs faster than real time so comparisons and exports visibly progress within a
# minute or two of watching.
DEMO_CLOCK_SPEED = 10.0

# `drstui --demo` watches two simulated regions (different projects, the same fixture job ids,
# so a job is told apart by its scope); each --profile NAME given with --demo is one more.
@dataclass
class Session:
    """Everything one run of drstui holds open; close it with `aclose()`."""

    settings: Settings
    cloud: Any  # drstui.api.CloudClient
    monitor: Any  # drstui.monitor.poller.Monitor
    exports: Any  # drstui.monitor.exports.ExportTracker
    actions: Any  # drstui.monitor.actions.Actions
    sim_core: Any = None  # the in-process simulator in demo mode (request log, clock, faults)
    profile_label: str = ""
    scope: Any = None  # drstui.monitor.scope.Scope: (profile, region, project) it watches
    _closed: bool = field(default=False, repr=False)

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self.exports.aclose()
        await self.cloud.aclose()


def download_dir_for(settings: Settings) -> Path:
    """Where exported files go. A demo run never writes into the user's real downloads: it uses
    the demo state folder unless this command line (or the caller) named a directory."""
    from drstui.config_schema import default_download_dir
    from drstui.monitor.cutover_log import default_directory

    if not settings.demo:
        return settings.download_dir
    origin = settings.origins.get("download_dir")
    from_profile_or_env = origin is not None and not origin.startswith("--")
    if from_profile_or_env or settings.download_dir == default_download_dir():
        return default_directory(demo=True) / "downloads"
    return settings.download_dir


def cutover_log_for(settings: Settings) -> Any:
    """The cutover log of this run: the real one, or the demo's own (see cutover_log)."""
    from drstui.monitor.cutover_log import CutoverLog, default_directory

    return CutoverLog(directory=default_directory(demo=settings.demo))


def thresholds_for(settings: Settings) -> Any:
    """The readiness limits of this run (profile < environment < flags)."""
    from drstui.monitor.readiness import Thresholds

    return Thresholds(max_lag=settings.max_lag, stable_for=settings.stable_for,
                      max_compare_age=settings.max_compare_age)


def local_time_zone() -> str:
    """The local UTC offset as the DRS export wants it, e.g. GMT+08:00."""
    offset = _dt.datetime.now().astimezone().utcoffset() or _dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"GMT{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _auth_for(settings: Settings, *, demo_credentials: Any = None) -> Any:
    from drstui.api import AkSkAuth, TokenAuth

    if demo_credentials is not None:
        return AkSkAuth(demo_credentials.ak, demo_credentials.sk)
    if settings.auth_method == "token":
        # Scope the token to the project when we know it, else to the region's project by name.
        if settings.project_id:
            return TokenAuth(None, settings.user, settings.password, settings.domain,
                             project_id=settings.project_id)
        return TokenAuth(None, settings.user, settings.password, settings.domain,
                         project_name=settings.region)
    return AkSkAuth(settings.ak, settings.sk, security_token=settings.security_token)


def build_cloud(settings: Settings, *, transport: Any = None, demo_credentials: Any = None,
                retry_policy: Any = None, count_request: Any = None) -> Any:
    """A CloudClient for these settings (or for the demo simulator's credentials); the
    API layer's default retries unless `retry_policy` says otherwise."""
    from drstui.api import CloudClient, Endpoints
    from drstui.api.endpoints import UnknownRegionError
    from drstui.api.limits import MIB, Limits

    if demo_credentials is not None:
        region = demo_credentials.region
        project_id = demo_credentials.project_id
        endpoints = Endpoints.for_region(region, endpoint=demo_credentials.endpoint)
    else:
        region = settings.region
        project_id = settings.project_id
        try:
            endpoints = Endpoints.for_region(
                region,
                endpoint=settings.endpoint,
                drs=settings.drs_endpoint,
                sms=settings.sms_endpoint,
                iam=settings.iam_endpoint,
            )
        except UnknownRegionError as error:  # a configuration problem, told as one
            raise ConfigError(str(error)) from None
    verify: bool | str = settings.verify_tls
    if verify and settings.ca_bundle:
        verify = str(settings.ca_bundle)
    return CloudClient(
        region,
        auth=_auth_for(settings, demo_credentials=demo_credentials),
        project_id=project_id,
        endpoints=endpoints,
        transport=transport,
        verify=verify,
        language=settings.language,
        timeout=settings.timeout,
        on_request=_log_request if count_request is None else _logged_and_counted(count_request),
        retry_policy=retry_policy,
        limits=Limits(
            max_answer_bytes=int(settings.max_answer_mb * MIB),
            max_download_bytes=int(settings.max_download_mb * MIB),
            call_deadline=settings.call_deadline,
            download_deadline=settings.download_deadline,
        ),
    )


def _logged_and_counted(count: Any) -> Any:
    def on_request(record: Any) -> None:
        count(record)
        _log_request(record)

    return on_request


def _log_request(record: Any) -> None:
    # Method, path, status and timing only: headers (and so secrets) never reach the log.
    # A request that went well is a debug line: at info, a 50-job cutover's ~10 requests a
    # second would fill the rotated log (4 MB) within the hour and push out what went wrong.
    # The transport gives every failed attempt (no answer, or status >= 400) its error kind.
    log.log(
        logging.INFO if record.error_kind else logging.DEBUG,
        "%s %s -> %s in %.0f ms (attempt %s)%s",
        record.method,
        record.path,
        record.status,
        (record.duration or 0) * 1000,
        record.attempt,
        f" [{record.error_kind}]" if record.error_kind else "",
    )


def open_session(
    settings: Settings,
    *,
    transport: Any = None,
    sim_clock: Any = None,
    now: Any = None,
    job_ids: list[str] | None = None,
    cutover_log: Any = None,
    demo_index: int = 0,
    account: Any = None,
) -> Session:
    """Build cloud client, monitor, export tracker and actions for these settings.

    In demo mode an in-process simulator is created (seeded from settings.seed) unless a
    transport is given. `sim_clock` and `now` let tests and benchmarks control time. `account`
    (a `drstui.monitor.budget.Account`) is shared by the scopes that send as one account.
    """
    from drstui.monitor.actions import Actions
    from drstui.monitor.exports import ExportTracker
    from drstui.monitor.budget import RequestBudget
    from drstui.monitor.poller import Monitor, utc_now
    from drstui.monitor.trend import TrendHistory

    sim_core = None
    demo_credentials = None
    if settings.demo:
        from drstui.sim.clock import WallClock
        from drstui.sim.demo import demo_transport

        if transport is None:
            transport, demo_credentials = demo_transport(
                seed=(settings.seed if settings.seed is not None else 7) + demo_index,
                clock=sim_clock or WallClock(DEMO_CLOCK_SPEED),
                jobs=settings.jobs,
                credentials=_demo_credentials(demo_index) if demo_index else None,
            )
        else:
            from drstui.sim.credentials import SimCredentials

            demo_credentials = _demo_credentials(demo_index) if demo_index else SimCredentials()
        sim_core = getattr(transport, "core", None)
    now = now or utc_now
    budget = RequestBudget(settings.max_requests_per_minute, account)
    cloud = build_cloud(settings, transport=transport, demo_credentials=demo_credentials, count_request=budget.count)
    region = cloud.region
    exports = ExportTracker(
        cloud, download_dir_for(settings), region=region, now=now, time_zone=local_time_zone()
    )
    from drstui.monitor.scope import Scope

    profile = settings.profile or ("demo" if settings.demo else "default")
    monitor = Monitor(
        cloud,
        profile=profile,
        region=region,
        project_id=(demo_credentials.project_id if demo_credentials else settings.project_id) or "",
        interval=settings.refresh,
        job_ids=job_ids,
        now=now,
        exports=exports,
        cutover_log=cutover_log,
        trend=TrendHistory(),
        thresholds=thresholds_for(settings),
        cutover_jobs=settings.cutover_jobs,
        budget=budget,
    )
    actions = Actions(cloud, monitor, exports, read_only=settings.read_only)
    label = "demo (simulator)" if settings.demo else (settings.profile or "default")
    if settings.demo and settings.profile:
        label = f"{settings.profile} (simulator)"
    return Session(
        scope=Scope(profile, region, monitor.snapshot.project_id),
        settings=settings,
        cloud=cloud,
        monitor=monitor,
        exports=exports,
        actions=actions,
        sim_core=sim_core,
        profile_label=label,
    )


def _demo_credentials(index: int) -> Any:
    from drstui.sim.credentials import SIM_REGIONS, SimCredentials  # only for --demo

    _, region, project_id = SIM_REGIONS[index % len(SIM_REGIONS)]
    return SimCredentials(region=region, project_id=project_id)


def account_key(settings: Settings) -> tuple[str, ...] | None:
    """Who the gateway counts this scope's requests against: its access key, or its IAM user in
    its account (None in the demo: each simulated region stands alone). Kept in memory only."""
    if settings.demo:
        return None
    if settings.auth_method == "aksk":
        return ("aksk", settings.ak or "")
    return ("token", settings.domain or "", settings.user or "")


def demo_scopes(settings: Settings, count: int = 2) -> Settings:
    """`--demo` without --profile: `count` simulated regions in one view."""
    if not settings.demo or settings.more_scopes or settings.profile:
        return settings
    from drstui.sim.credentials import SIM_REGIONS

    named = [dataclasses.replace(settings, profile=name) for name, _, _ in SIM_REGIONS[:count]]
    return dataclasses.replace(named[0], more_scopes=tuple(named[1:]))


def open_sessions(settings: Settings, *, cutover_log: Any = None, **options: Any) -> list[Session]:
    """One session per scope (its own client, auth, endpoints, monitor, exports and actions),
    all writing one cutover log. Demo scopes each get a simulated region of their own."""
    from drstui.monitor.budget import Account

    sessions: list[Session] = []
    accounts: dict[tuple[str, ...], Account] = {}
    try:
        for index, scope in enumerate(settings.scopes):
            key = account_key(scope)
            account = accounts.setdefault(key, Account()) if key else None
            sessions.append(open_session(scope, cutover_log=cutover_log, demo_index=index, account=account,
                                         **options))
    except BaseException:
        for session in sessions:
            _close_later(session)
        raise
    return sessions


@dataclass
class HeadlessSessions:
    """The sessions of several scopes as one for the headless commands (`monitor` refreshes
    them all and combines their Snapshots)."""

    sessions: list[Session]
    monitor: Any  # drstui.monitor.combine.ScopeSet

    async def aclose(self) -> None:
        for session in self.sessions:
            await session.aclose()


def open_headless(settings: Settings, **options: Any) -> Any:
    """A Session for one scope, or HeadlessSessions for several (repeated --profile, a view)."""
    if not settings.more_scopes:
        return open_session(settings, **options)
    from drstui.monitor.combine import ScopeSet

    sessions = open_sessions(settings, **options)
    monitor = ScopeSet([(s.scope, s.monitor) for s in sessions], label=settings.view or "drstui")
    return HeadlessSessions(sessions, monitor)


def _close_later(session: Session) -> None:
    try:
        asyncio.run(session.aclose())
    except Exception:  # noqa: BLE001 - already failing; the first error is the one to tell
        log.exception("closing a session")


def run_monitor(settings: Settings) -> int:
    """The interactive monitor: build the session, run the Textual app, close cleanly.
    Logging is the caller's (the command line starts it, and carries on without a log file
    it cannot open, as the headless commands do)."""
    from drstui.ui.app import DrsTuiApp

    if not settings.demo:
        settings.check_ready()
    settings = demo_scopes(settings)
    sessions = open_sessions(settings, cutover_log=cutover_log_for(settings))
    app = DrsTuiApp(
        profile_label=sessions[0].profile_label if len(sessions) == 1 else (settings.view or "drstui"),
        refresh_seconds=settings.refresh,
        read_only=any(s.read_only for s in settings.scopes),
        insecure=any(not s.verify_tls for s in settings.scopes),
        bell=settings.bell,
        # The dialogs (keys c, e, s) reach the API only through each scope's Actions.
        scopes=[(s.scope, s.monitor, s.actions) for s in sessions],
    )
    return run_app(app, sessions)


def run_app(app: Any, session: Session | list[Session]) -> int:
    """Run a DrsTuiApp on its sessions until it quits, then close them in the same loop."""
    sessions = session if isinstance(session, list) else [session]
    for one in sessions:
        # A background download finishing (or an action) asks for a refresh: show it now, not
        # at the next tick.
        one.monitor.on_refresh_requested = app.request_refresh

    async def run_then_close() -> None:
        # The HTTP connections belong to the app's event loop: close them in that same loop
        # (closing them after app.run() returned failed with "Event loop is closed").
        try:
            await app.run_async()
        finally:
            for one in sessions:
                await one.aclose()

    asyncio.run(run_then_close())
    return app.return_code or 0
