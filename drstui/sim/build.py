"""Building the simulated world: the fixture jobs, generated jobs, SMS tasks, then the optional
multi-task families, replication scenarios (see lag.py) and hostile names.

World (world.py) is the state; this module fills it once, deterministically from the seed.
"""

from __future__ import annotations

import random
from typing import Any

from .clock import Clock
from .family import add_multi_task_jobs
from .hostile import make_hostile
from .lag import DR_JOB_TYPE, SCENARIO_ORDER, ReplicationScenario
from .world import (
    ENGINES,
    GENERATED_STATES,
    JOB_A,
    JOB_B,
    JOB_C,
    JOB_WORDS,
    CONTENTS_COMPARE_A,
    DB_NAMES,
    HEALTH_DONE_A,
    HEALTH_WAITING_A,
    LINES_COMPARE_A,
    OBJECT_COMPARE_A,
    SMS_SOURCE_PREFIX,
    SMS_TASK_PREFIX,
    TABLE_NAMES,
    DrsJob,
    ExportState,
    HealthCompare,
    SmsSource,
    SmsTask,
    Table,
    Timeline,
    World,
    WorldSettings,
    _new_job,
    _tables_for,
)


def build_world(clock: Clock, settings: WorldSettings | None = None, **overrides) -> World:
    """A deterministic world: same seed and knobs → same jobs, ids, results and timelines."""
    settings = settings or WorldSettings()
    for key, value in overrides.items():
        if value is not None:
            setattr(settings, key, value)
    world = World(settings, clock)
    now = clock.now()
    rng = world.rng
    _add_fixture_jobs(world, rng, now)
    for index in range(max(0, settings.jobs - 3)):
        _add_generated_job(world, rng, now, index)
    _add_sms(world, rng, now)
    if settings.multi_task_jobs:
        add_multi_task_jobs(world, now)
    assign_scenarios(world, now)
    if settings.hostile_names:
        make_hostile(world)
    return world


def _add_fixture_jobs(world: World, rng: random.Random, now: float) -> None:
    n_tables = world.settings.tables
    created = now - 6 * 3600
    if world.settings.jobs >= 1:
        # Job A: the fixtures' compare-capable job, with a finished history to show at once.
        main_tables = max(2, n_tables * 3 // 4)
        tables = ([Table("orders", "order_items", 1200), Table("orders", "orders", 300)]
                  + [Table("orders", TABLE_NAMES[i] if i < len(TABLE_NAMES) else f"t_{i:05d}",
                           rng.randint(50, 500_000)) for i in range(2, main_tables)]
                  + [Table("audit", f"audit_{i}", rng.randint(10, 5000)) for i in range(max(1, n_tables - main_tables))])
        a = _new_job(world, JOB_A, "DRS-orders-sync", "INCRE_TRANSFER_STARTED", "mysql-to-mysql",
                     ["orders", "audit"], tables, created, missing_target_dbs={"audit"})
        hist = random.Random(f"{world.settings.seed}/job-a")
        world.add_comparison(a, "object", now - 2 * 3600, compare_id=OBJECT_COMPARE_A, rng=hist,
                             outcome="SUCCESSFUL", force_inconsistent=("INDEX",))
        lines = world.add_comparison(a, "lines", now - 3600, compare_id=LINES_COMPARE_A, rng=hist,
                                     outcome="SUCCESSFUL", force_inconsistent=("order_items",))
        world.add_comparison(a, "contents", now - 1800, compare_id=CONTENTS_COMPARE_A, rng=hist,
                             outcome="SUCCESSFUL", force_inconsistent=("order_items",))
        # A report exported a little while ago: its validity is visibly counting down.
        lines.export = ExportState(now - 60, world.settings.export_seconds, world.settings.report_valid_seconds)
        a.health_compares = [
            HealthCompare(HEALTH_DONE_A, a.id, "lines,object_comparison",
                          Timeline(now - 3 * 86400, now - 3 * 86400 + 1, 8),
                          world.make_type_results(hist, a, ("DB", "TABLE", "VIEW"), force_inconsistent=("TABLE",))),
            HealthCompare(HEALTH_WAITING_A, a.id, "object_comparison",
                          Timeline(now - 60, now + 120, 30),
                          world.make_type_results(hist, a, ("DB", "TABLE", "VIEW"))),
        ]
    if world.settings.jobs >= 2:
        b_tables = _tables_for(rng, ["billing"], max(1, n_tables // 2))
        _new_job(world, JOB_B, "DRS-billing-sync", "INCRE_TRANSFER_FAILED", "mysql-to-mysql", ["billing"],
                 b_tables, created, error_code="DRS.10000001", error_message="Failed.")
    if world.settings.jobs >= 3:
        c_tables = _tables_for(rng, ["archive"], max(1, n_tables // 2))
        _new_job(world, JOB_C, "DRS-archive-full", "FULL_TRANSFER_STARTED", "mysql-to-mysql", ["archive"],
                 c_tables, created, task_type="FULL_TRANS")


def _add_generated_job(world: World, rng: random.Random, now: float, index: int) -> None:
    states, weights = zip(*GENERATED_STATES)
    status = "INCRE_TRANSFER_STARTED" if index == 0 else rng.choices(states, weights)[0]
    engine = list(ENGINES)[(index + 1) % len(ENGINES)]
    word = JOB_WORDS[index % len(JOB_WORDS)]
    name = f"DRS-{word}-{ENGINES[engine].source_db}-{index + 1:03d}"
    dbs = [DB_NAMES[(index + k) % len(DB_NAMES)] for k in range(rng.randint(1, 3))]
    job = _new_job(world, world.new_job_id(rng), name, status, engine, dbs,
                   _tables_for(rng, dbs, world.settings.tables), now - rng.randint(1, 30) * 86400,
                   job_type=rng.choice(("sync", "migration")), source_ip=f"10.0.{index % 250}.{10 + index % 200}")
    if status == "INCRE_TRANSFER_FAILED":
        job.error_code, job.error_message = "DRS.10000001", "Failed."
    if status != "INCRE_TRANSFER_STARTED":
        return
    job_rng = random.Random(f"{world.settings.seed}/job/{job.id}")
    if index == 0:
        # One job whose comparisons are running right now, so the demo shows progress at once.
        world.add_comparison(job, "object", now - 8, rng=job_rng, outcome="SUCCESSFUL")
        world.add_comparison(job, "lines", now - 10, rng=job_rng, outcome="SUCCESSFUL")
    else:
        world.add_comparison(job, "object", now - rng.randint(2, 48) * 3600, rng=job_rng)
    job.health_compares.append(
        HealthCompare(world.new_uuid(job_rng), job.id, "object_comparison",
                      Timeline(now - 86400, now - 86400 + 2, 10),
                      world.make_type_results(job_rng, job, ("DB", "TABLE", "VIEW"))))


def _add_sms(world: World, rng: random.Random, now: float) -> None:
    states = (("MIGRATE_SUCCESS", "finished", "cutovered"), ("SYNCING", "syncing", "syncing"),
              ("RUNNING", "replicate", "replicating"), ("MIGRATE_FAIL", "error", "replicating"),
              ("READY", "waiting", "setting"))
    names = ("web", "db", "app", "cache", "batch", "mq", "api", "file")
    for i in range(world.settings.sms_tasks):
        suffix = f"{i + 1:04x}"
        task_state, source_state, cycle = states[0] if i == 0 else states[1] if i == 1 else rng.choice(states)
        name = f"ecs-{names[i % len(names)]}-{i // len(names) + 1:02d}"
        has_result = task_state in ("MIGRATE_SUCCESS", "SYNCING") and i != 1
        source = SmsSource(SMS_SOURCE_PREFIX + suffix, name, f"192.168.{10 + i // 250}.{11 + i % 240}",
                           source_state, cycle, True, has_result, now - 8 * 3600)
        task = SmsTask(SMS_TASK_PREFIX + suffix, f"migrate-{name}", task_state, source,
                       f"10.0.{1 + i // 250}.{25 + i % 200}", now - 4 * 3600)
        if has_result:
            task.finished_time = now - 1800
            task.results = [
                {"dir_check": "/data", "num_total_files": rng.randint(1000, 20000),
                 "num_different_files": rng.choice((0, 0, 2, 5)), "num_target_miss_files": rng.choice((0, 1)),
                 "num_target_more_files": 0},
                {"dir_check": "/etc", "num_total_files": rng.randint(300, 900), "num_different_files": 0,
                 "num_target_miss_files": 0, "num_target_more_files": 0},
            ]
        world.sms_sources[source.id] = source
        world.sms_tasks[task.id] = task


# -- replication scenarios -------------------------------------------------------------------
def assign_scenarios(world: World, now: float) -> None:
    """Give the first incremental jobs the scenarios above; make the ``recovers`` job's
    comparisons consistent so that it can become ready."""
    rng = random.Random(f"{world.settings.seed}/replication")
    incremental = [job for job in world.project.jobs.values() if job.status == "INCRE_TRANSFER_STARTED"]
    for index, job in enumerate(incremental):
        kind = SCENARIO_ORDER[index] if index < len(SCENARIO_ORDER) else "steady"
        scenario = ReplicationScenario(kind, now, f"{world.settings.seed}/{job.id}")
        if kind == "recovers":
            _make_consistent(job)
        elif kind == "dr":
            job.job_type = DR_JOB_TYPE
        elif kind == "ddl":
            scenario.ddls = _ddls(rng, job, now)
        world.replication[job.id] = scenario
    for job in world.project.jobs.values():
        world.replication.setdefault(job.id, ReplicationScenario("steady", now, f"{world.settings.seed}/{job.id}"))


def _make_consistent(job: DrsJob) -> None:
    for comparison in job.comparisons:
        for type_result in comparison.types:
            for row in type_result.rows:
                row.target_value, row.consistent = row.source_value, True
        for table in comparison.tables:
            table.target_rows, table.final_status, table.value_diffs = table.table.rows, 2, 0


def _ddls(rng: random.Random, job: DrsJob, now: float) -> list[dict[str, Any]]:
    table = job.tables[0]
    ms = lambda t: int(t * 1000)  # noqa: E731 - epoch milliseconds, as the API sends them
    cleared_at = now - 3 * 3600
    return [
        {"seqno": 41 + rng.randint(0, 5), "checkpoint": f"mysql-bin.000031:{rng.randint(1000, 9999)}",
         "status": 1, "ddl_timestamp": ms(now - 300),
         "ddl_text": f"ALTER TABLE {table.db}.{table.name} DROP COLUMN legacy_flag",
         "exe_result": False, "record_time": ms(now - 298), "clean_time": 0},
        {"seqno": 12, "checkpoint": "mysql-bin.000029:912", "status": 0, "ddl_timestamp": ms(cleared_at - 60),
         "ddl_text": f"CREATE INDEX idx_created ON {table.db}.{table.name} (created_at)",
         "exe_result": True, "record_time": ms(cleared_at - 58), "clean_time": ms(cleared_at)},
    ]
