"""1. refresh: 50 jobs at 50 ms simulated latency, drstui's Monitor vs the official SDK one by one.

The simulator runs in its own process behind a loopback HTTP server with a `latency` fault (a
real sleep per request, server side) and checks every AK/SK signature. drstui: `Monitor.refresh()`
on a real `CloudClient` (httpx, AK/SK signing). Baseline: the official Huawei Cloud SDK's
synchronous clients (`huaweicloudsdkdrs` v3 + v5) doing the same reads one after another, in the
monitor's order: list jobs, then per job object-compare overview, table-compare list and
health-compare list, then for the newest row ("lines") comparison its line overview and one
line detail per database, and for the newest value ("contents") comparison its overview and
detail (and, when it still runs, its compare progress); then the replication reads: progress of
every job in batches of 20, for each job in incremental replication its monitor data and its
alarming DDLs, RPO/RTO of those that are disaster-recovery jobs. Both request counts come from
the simulator's request log and must be equal.

Where a steady refresh's wall time goes: the latency floor (dependent steps x latency) plus
this process's CPU time, which answers arriving together must wait for (one event loop); the
simulator process's CPU during the same refreshes is printed too (it is not the bound).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import warnings

if __package__ in (None, ""):
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SEED, Figure, SimProcess, print_figures

DETAILED_TYPES = ("lines", "contents")
FINISHED_COMPARE = ("SUCCESSFUL", "FAILED", "CANCELLED", "TIMEOUT_INTERRUPT")
INCREMENTAL = "INCRE_TRANSFER_STARTED"  # the job status whose links and lag are watched
STEADY_STEPS = 4  # dependent round trips of a steady refresh (see the figure's note)


async def _monitor_refreshes(url: str, sim: SimProcess, runs: int) -> tuple[float, list[float], dict, dict]:
    from drstui.api import AkSkAuth, CloudClient, Endpoints
    from drstui.monitor.poller import Monitor
    from drstui.sim.credentials import SimCredentials

    creds = SimCredentials()
    cloud = CloudClient(creds.region, auth=AkSkAuth(creds.ak, creds.sk), project_id=creds.project_id,
                        endpoints=Endpoints.for_region(creds.region, endpoint=url))
    try:
        monitor = Monitor(cloud, profile="bench", region=creds.region, project_id=creds.project_id)
        sim.reset()
        started = time.perf_counter()
        snapshot = await monitor.refresh()
        first = time.perf_counter() - started
        first_counts = sim.counts()
        problems = [p for job in snapshot.jobs for p in job.problems]
        if problems or snapshot.connection.state.name != "OK":
            raise RuntimeError(f"monitor refresh had problems: {snapshot.connection} {problems[:3]}")
        steady, client_cpu, sim_cpu = [], [], []
        for _ in range(runs):
            sim_before, cpu_before, started = sim.cpu(), time.process_time(), time.perf_counter()
            await monitor.refresh()
            steady.append(time.perf_counter() - started)
            client_cpu.append(time.process_time() - cpu_before)
            sim_cpu.append(sim.cpu() - sim_before)
        sim.reset()
        await monitor.refresh()
        cpu = {"client": statistics.median(client_cpu), "sim": statistics.median(sim_cpu),
               "requests": sum(sim.counts().values())}
        return first, steady, first_counts, cpu
    finally:
        await cloud.aclose()


def _sdk_clients(url: str):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkdrs.v3 import DrsClient as DrsV3
    from huaweicloudsdkdrs.v5 import DrsClient as DrsV5

    from drstui.sim.credentials import SimCredentials

    creds = SimCredentials()
    config = HttpConfig.get_default_config()
    config.timeout = (5, 30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(
            cls.new_builder()
            .with_credentials(BasicCredentials(creds.ak, creds.sk, creds.project_id))
            .with_endpoint(url).with_http_config(config).build()
            for cls in (DrsV3, DrsV5))


def sdk_refresh(v3, v5) -> int:
    """The monitor's cold-refresh reads, one after another with the official SDK. Returns jobs."""
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkdrs.v3 import model as m3
    from huaweicloudsdkdrs.v5 import model as m5

    jobs = []
    for job_type in ("migration", "sync", "cloudDataGuard", "replay"):  # job_type is mandatory
        offset = 0
        while True:  # page like list_all_jobs (100 a page, each job type)
            page = v5.list_jobs(m5.ListJobsRequest(job_type=job_type, limit=100, offset=offset))
            jobs.extend(page.jobs or [])
            offset += 100
            if not page.jobs or len(page.jobs) < 100 or offset >= (page.total_count or 0):
                break
    for job in jobs:
        try:
            v3.list_obeject_level_compare_overview(m3.ListObejectLevelCompareOverviewRequest(job_id=job.id))
        except ClientRequestException as error:
            if error.status_code != 400:  # 400 DRS.10000010: no object comparison yet
                raise
        listed = v3.list_data_level_table_compare_jobs(
            m3.ListDataLevelTableCompareJobsRequest(job_id=job.id, limit=1000, offset=0))
        v5.show_health_compare_job_list(
            m5.ShowHealthCompareJobListRequest(job_id=job.id, limit=100, offset=0))
        newest: dict[str, str] = {}
        for compare in sorted(reversed(listed.compare_jobs or []), key=lambda c: c.start_time or "",
                              reverse=True):
            if compare.type in DETAILED_TYPES:
                newest.setdefault(compare.type, compare.id)
        if "lines" in newest:
            cid = newest["lines"]
            overview = v3.list_data_compare_overview(m3.ListDataCompareOverviewRequest(
                job_id=job.id, compare_job_id=cid, limit=1000, offset=0))
            names = dict.fromkeys(info.source_db_name for info in overview.data_compare_overview_infos or []
                                  if info.source_db_name)
            for name in names:
                v3.list_data_compare_detail(m3.ListDataCompareDetailRequest(
                    job_id=job.id, compare_job_id=cid, db_name=name, limit=1000, offset=0))
        if "contents" in newest:
            cid = newest["contents"]
            v3.list_content_compare_overview(m3.ListContentCompareOverviewRequest(
                job_id=job.id, compare_job_id=cid, limit=1000, offset=0))
            v3.list_content_compare_detail(m3.ListContentCompareDetailRequest(
                job_id=job.id, compare_job_id=cid, limit=1000, offset=0))
        status = {compare.id: compare.status for compare in listed.compare_jobs or []}
        for cid in newest.values():
            if status.get(cid) not in FINISHED_COMPARE:
                v5.show_compare_progress(m5.ShowCompareProgressRequest(job_id=job.id, compare_job_id=cid))
    _sdk_replication_reads(v3, v5, jobs)
    return len(jobs)


def _sdk_replication_reads(v3, v5, jobs) -> None:
    from huaweicloudsdkdrs.v3 import model as m3
    from huaweicloudsdkdrs.v5 import model as m5

    ids = [job.id for job in jobs]
    for start in range(0, len(ids), 20):
        v3.batch_list_progresses(m3.BatchListProgressesRequest(
            body=m3.BatchQueryProgressReq(jobs=ids[start:start + 20])))
    incremental = [job for job in jobs if job.status == INCREMENTAL]
    for job in incremental:
        v5.show_monitor_data(m5.ShowMonitorDataRequest(job_id=job.id))
        v5.list_job_ddls(m5.ListJobDdlsRequest(job_id=job.id, status=1, limit=1, offset=0))
    dr = [job.id for job in incremental if job.job_type == "cloudDataGuard"]
    for start in range(0, len(dr), 20):
        v3.batch_list_rpos_and_rtos(m3.BatchListRposAndRtosRequest(
            body=m3.BatchQueryRpoAndRtoReq(jobs=dr[start:start + 20])))


def _counts_line(counts: dict[str, int]) -> str:
    short = {k.removeprefix("drs."): v for k, v in sorted(counts.items())}
    return " ".join(f"{k}={v}" for k, v in short.items())


def run(*, quick: bool = False, latency_ms: float = 50.0, jobs: int = 50, seed: int = SEED) -> list[Figure]:
    rtt = latency_ms / 1000
    runs = 3 if quick else 5
    with SimProcess(seed=seed, jobs=jobs, latency_ms=latency_ms) as sim:
        first, steady, monitor_counts, cpu = asyncio.run(_monitor_refreshes(sim.url, sim, runs))
        steady_counts_sim = None
        v3, v5 = _sdk_clients(sim.url)
        sdk_refresh(v3, v5)  # warm-up: connection, imports, model classes
        sim.reset()
        started = time.perf_counter()
        sdk_refresh(v3, v5)
        sdk = time.perf_counter() - started
        sdk_counts = sim.counts()
    monitor_total, sdk_total = sum(monitor_counts.values()), sum(sdk_counts.values())
    equal = monitor_counts == sdk_counts
    steady_med = sorted(steady)[len(steady) // 2]
    figures = [
        Figure(f"refresh {jobs} jobs, steady (median of {runs})", steady_med / rtt, "round trips", "< 4",
               f"{steady_med * 1000:.0f} ms at {latency_ms:g} ms latency"),
        Figure("steady refresh: latency floor", STEADY_STEPS, "round trips", "info",
               "dependent steps: the job list's first type alone, the other types at once, each "
               "job's comparison lists (beside progress, links and DDLs), the running ones' tables"),
        Figure("steady refresh: this process's CPU", cpu["client"] * 1000, "ms CPU", "info",
               f"{cpu['requests']} requests, {cpu['client'] / cpu['requests'] * 1000:.2f} ms each: "
               f"{cpu['client'] / rtt:.1f} round trips of CPU on top of the latency floor"),
        Figure("steady refresh: the simulator's CPU, same refreshes", cpu["sim"] * 1000, "ms CPU", "info",
               f"{cpu['sim'] / cpu['requests'] * 1000:.1f} ms per request (the cloud's side)"),
        Figure(f"refresh {jobs} jobs, first", first / rtt, "round trips", "info",
               f"{first * 1000:.0f} ms; needs the databases before their details: 4 dependent steps"),
        Figure("official SDK, same reads one by one", sdk / rtt, "round trips", "info",
               f"{sdk * 1000:.0f} ms"),
        Figure("speed-up vs official SDK (same reads)", sdk / first, "x", ">= 10",
               "first refresh vs SDK; requests " + ("equal" if equal else "DIFFER")),
        Figure("requests, drstui first refresh", monitor_total, "requests", "info", _counts_line(monitor_counts)),
        Figure("requests, official SDK", sdk_total, "requests",
               f"== {monitor_total}" if False else "info", _counts_line(sdk_counts)),
    ]
    if not equal:
        figures.append(Figure("request counts equal", None, "", "equal", "the baseline did other work"))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--latency", type=float, default=50.0, help="simulated latency, ms (default 50)")
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    figures = run(quick=args.quick, latency_ms=args.latency, jobs=args.jobs, seed=args.seed)
    print_figures(figures)
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
