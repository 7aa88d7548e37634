"""The report's content from a fixed cutover log and a fixed snapshot document.

Golden files: DRSTUI_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/report/test_report_content.py
rewrites them (then read the diff before committing).
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from drstui.cli import main
from drstui.monitor.cutover_log import read_records
from drstui.report.html import render_html
from drstui.report.markdown import render_markdown
from drstui.report.model import build_report
from drstui.report.text import clean, md

DATA = Path(__file__).parents[1] / "data" / "report"
LOG = DATA / "cutover-20250115.jsonl"
SNAPSHOT = DATA / "snapshot.json"
SINCE = datetime(2025, 1, 15, 0, 0, tzinfo=timezone.utc)
UNTIL = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)
GENERATED = datetime(2025, 1, 15, 8, 31, tzinfo=timezone.utc)
ORDERS = "94800607-3cd8-4f7d-a340-63a10f8jb502"
HOSTILE_ID = "9be4bcfc-49b6-4a08-b2e6-cc3ababcjb7w"
GONE = "5c0ffee0-0000-4000-8000-00000000jbg0"


def fixed_report(snapshot=True, **options):
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if snapshot else None
    if callable(snapshot):
        document = snapshot(json.loads(SNAPSHOT.read_text(encoding="utf-8")))
    return build_report(read_records(LOG), document, since=SINCE, until=UNTIL,
                        generated_at=GENERATED, log_files=[LOG.name], **options)


@pytest.mark.parametrize("name, render", [("report.md", render_markdown), ("report.html", render_html)])
def test_matches_the_golden_file(name, render):
    text = render(fixed_report())
    golden = DATA / name
    if os.environ.get("DRSTUI_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_window_jobs_verdicts_and_readiness():
    report = fixed_report()
    assert [e.at for e in report.timeline] == sorted(e.at for e in report.timeline)
    assert all(SINCE <= e.at <= UNTIL for e in report.timeline)
    assert not any("out of the window" in e.message for e in report.timeline)
    jobs = {job.id: job for job in report.jobs}
    # Snapshot jobs first, in the snapshot's order; a job only the log knows comes after.
    assert list(jobs)[-1] == GONE and len(jobs) == 4
    assert jobs[ORDERS].verdict == "inconsistent" and jobs[ORDERS].verdict_source == "snapshot"
    assert jobs[GONE].verdict == "consistent" and jobs[GONE].verdict_source == "log"
    assert jobs[GONE].status == "INCRE_TRANSFER_FAILED"
    assert report.readiness.verdict == "not_ready"
    assert "DRS-billing-sync: job failed" in report.readiness.reasons
    assert jobs[ORDERS].readiness.verdict == "not_ready"
    assert jobs[GONE].readiness.verdict == "ready"  # from the log's job_readiness line


def test_comparisons_counts_tables_and_exports():
    orders = next(job for job in fixed_report().jobs if job.id == ORDERS)
    kinds = [c.kind for c in orders.comparisons]
    assert kinds[0] == "object" and "lines" in kinds and "contents" in kinds
    obj = orders.comparisons[0]
    index = next(t for t in obj.types if t.object_type == "INDEX")
    assert (index.source, index.target, index.difference) == (32, 23, 9)
    lines = next(c for c in orders.comparisons if c.kind == "lines")
    assert lines.differing_tables and all(t.result != "consistent" for t in lines.differing_tables)
    assert "orders.order_items" in [t.name for t in lines.differing_tables]
    paths = [export.path for export in orders.exports]
    assert "/srv/cutover/reports/DRS-orders-sync-lines-08cad1f8.xlsx" in paths
    assert "/srv/cutover/reports/old <b>format</b>.zip" in paths  # older log line: path from the message


def test_lag_over_time_from_the_log_and_the_snapshot():
    report = fixed_report()
    orders = next(job for job in report.jobs if job.id == ORDERS)
    assert [p.lag_ms for p in orders.lag] == [5400, 2100, 7200, 1200]
    html = render_html(report)
    assert html.count("<svg") == 1 and html.count("<circle") == 4
    assert "Lag readings" in render_markdown(report)


def test_hostile_names_are_text_in_both_formats():
    report = fixed_report()
    html = render_html(report)
    text = render_markdown(report)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html and "<b>" not in html
    for output in (html, text):
        assert "\x1b" not in output and "\x07" not in output
    assert "<img" not in text and "&lt;img" in text
    assert r"\*crm\*" in text and r"\[x\](http://e.x)" in text and r" \| " in text
    # A table row still has its 6 columns: the name's | did not split a cell.
    row = next(line for line in text.splitlines() if "crm" in line and line.startswith("| "))
    assert len(re.findall(r"(?<!\\)\|", row)) == 7


def test_without_readiness_and_lag_the_report_degrades():
    def strip(document):
        document.pop("readiness")
        for job in document["jobs"]:
            job.pop("readiness", None)
            job.pop("replication", None)
        return document

    records = [r for r in read_records(LOG)
               if r.get("kind") not in ("cutover_readiness", "job_readiness", "lag_threshold")]
    report = build_report(records, strip(json.loads(SNAPSHOT.read_text(encoding="utf-8"))),
                          since=SINCE, until=UNTIL, generated_at=GENERATED)
    assert report.readiness is None and not report.has_lag
    html = render_html(report)
    assert "No readiness verdict" in html and "<svg" not in html


def test_offline_uses_the_log_only():
    report = fixed_report(snapshot=False)
    assert report.offline and report.scopes == ()
    orders = next(job for job in report.jobs if job.id == ORDERS)
    assert orders.verdict == "inconsistent" and orders.verdict_source == "log"
    assert orders.comparisons[0].kind == "object" and orders.comparisons[0].source == "log"
    assert "cutover log only" in render_markdown(report)


def test_job_selection_keeps_connection_events():
    report = fixed_report(job_ids=[GONE])
    assert [job.id for job in report.jobs] == [GONE]
    assert {e.job_id for e in report.timeline} == {GONE, None}


def test_clean_and_markdown_escaping():
    assert clean("a\nb\x1b[31m\u202e") == "a b\u241b[31m\ufffd"
    assert md("a_b*c`d<e>|f") == r"a\_b\*c\`d&lt;e&gt;\|f"
    assert clean("x" * 400, 10) == "x" * 9 + "…"


def test_report_command_offline_writes_the_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("DRSTUI_CONFIG", str(tmp_path / "empty.toml"))
    for name in ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "DRSTUI_USER", "DRSTUI_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "handover.md"
    status = main(["report", "--offline", "--log-dir", str(DATA), "--since", "2025-01-15",
                   "--until", "2025-01-15T08:30Z", "--format", "md", "--output", str(out),
                   "--log-file", str(tmp_path / "drstui.log")])
    assert status == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert "# Cutover report" in text and "DRS-gone-job" in text
    assert "cutover-20250115.jsonl" in text
    assert f"report written to {out}" in capsys.readouterr().err


def test_report_command_rejects_an_inverted_window(tmp_path, capsys):
    status = main(["report", "--offline", "--log-dir", str(tmp_path), "--since", "2025-01-16",
                   "--until", "2025-01-15", "--log-file", str(tmp_path / "drstui.log")])
    assert status == 2 and "is after --until" in capsys.readouterr().err


def test_report_demo_rehearses_and_reports(tmp_path, monkeypatch, capsys):
    """`drstui report --demo` with zero set-up: a simulated half hour, a created comparison and a
    downloaded export, nothing written outside the output file (and drstui's own log file)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    status = main(["report", "--demo", "--format", "md", "--log-file", str(tmp_path / "drstui.log")])
    assert status == 0, capsys.readouterr().err
    written = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("home", "drstui.log"))
    assert len(written) == 1 and re.fullmatch(r"cutover-report-\d{8}T\d{6}Z\.md", written[0])
    text = (tmp_path / written[0]).read_text(encoding="utf-8")
    assert text.startswith("# Cutover report (demo, simulated data)")
    assert "## Job DRS-orders-sync" in text
    assert "objects\\_comparison export" in text and "saved to" in text
    assert "comparison\\_started" in text  # the rehearsal's transitions made the timeline
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").rglob("cutover-*.jsonl"))


def test_several_scopes_from_the_document_and_the_log():
    bj4 = {"profile": "bj4", "region": "cn-north-4", "project_id": "p-bj4"}
    sh1 = {"profile": "sh1", "region": "cn-east-3", "project_id": "p-sh1"}
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    document["scopes"] = [{**bj4, "connection": {"state": "ok"}},
                          {**sh1, "connection": {"state": "stale", "reason": "HTTP 503"}}]
    document["jobs"][0]["scope"] = sh1
    report = build_report([], document, since=SINCE, until=UNTIL, generated_at=GENERATED)
    assert report.scopes == ("bj4 · cn-north-4 · p-bj4", "sh1 · cn-east-3 · p-sh1")
    assert report.connection == "sh1 · cn-east-3 · p-sh1: stale (HTTP 503)"
    assert report.jobs[0].scope == "sh1 · cn-east-3 · p-sh1"
    assert "- **Scope**: sh1 · cn\\-east\\-3" not in render_markdown(report)  # no stray escaping
    assert "- **Scope**: sh1 · cn-east-3 · p-sh1" in render_markdown(report)

    records = [{**record, **bj4} for record in read_records(LOG)]
    offline = build_report(records, None, since=SINCE, until=UNTIL, generated_at=GENERATED)
    assert offline.scopes == ("bj4 · cn-north-4 · p-bj4",)
    assert {job.scope for job in offline.jobs} == {"bj4 · cn-north-4 · p-bj4"}


def test_report_takes_a_fresh_snapshot_over_http(tmp_path, monkeypatch, capsys):
    """A real profile's path: credentials from the environment, one refresh against the
    simulator over loopback HTTP, the history from the log folder given."""
    import time

    from drstui.sim.clock import ManualClock
    from drstui.sim.core import SimCore
    from drstui.sim.credentials import SimCredentials
    from drstui.sim.server import serve_in_thread

    creds = SimCredentials()
    server = serve_in_thread(SimCore.create(seed=7, clock=ManualClock(time.time())))
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    for name, value in {"DRSTUI_CONFIG": str(tmp_path / "empty.toml"), "DRSTUI_ENDPOINT": server.url,
                        "DRSTUI_REGION": creds.region, "HUAWEICLOUD_SDK_AK": creds.ak,
                        "HUAWEICLOUD_SDK_SK": creds.sk,
                        "HUAWEICLOUD_SDK_PROJECT_ID": creds.project_id}.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "report.html"
    try:
        status = main(["report", "--log-dir", str(tmp_path), "--since", "1h", "-o", str(out),
                       "--job", "94800607-3cd8-4f7d-a340-63a10f8jb502",
                       "--log-file", str(tmp_path / "drstui.log")])
    finally:
        server.close()
    assert status == 0, capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    assert "the cutover log and a snapshot taken" in html
    assert "<h2 id=\"job-94800607-3cd8-4f7d-a340-63a10f8jb502\">Job DRS-orders-sync</h2>" in html
    assert "DRS-billing-sync" not in html  # --job selected one job
    assert "orders.order_items" in html
    assert creds.sk not in html and creds.sk not in (tmp_path / "drstui.log").read_text(encoding="utf-8")


def test_an_unknown_snapshot_readiness_gives_way_to_the_logged_verdict():
    """One refresh rarely can tell (lag must be steady for a while): the running monitor's last
    verdict in the log is shown instead, saying where it comes from."""
    jobs = {job.id: job for job in fixed_report().jobs}
    hostile = jobs[HOSTILE_ID].readiness
    assert (hostile.verdict, hostile.source) == ("not_ready", "log")
    assert hostile.reasons == ("object comparison 7132f9e8 inconsistent",)
    assert jobs[ORDERS].readiness.source == "snapshot"
    billing = next(job for job in jobs.values() if job.name == "DRS-billing-sync")
    assert billing.readiness.verdict == "not_ready" and billing.readiness.source == "snapshot"
    assert "Replication rpo" not in render_markdown(fixed_report())  # unknown figures left out


def test_report_demo_window_and_job_selection(tmp_path, monkeypatch, capsys):
    """--since narrows the rehearsal's half hour like a real log's day; --job keeps one job,
    and a --job id found nowhere is named on stderr instead of silently giving an empty report."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    status = main(["report", "--demo", "--format", "md", "--since", "25m", "--job", ORDERS,
                   "--job", "no-such-job", "-o", "-", "--log-file", str(tmp_path / "drstui.log")])
    out, err = capsys.readouterr()
    assert status == 0, err
    window = re.search(r"\*\*Window\*\*: (\S+ \S+)Z → (\S+ \S+)Z", out)
    since, until = (datetime.fromisoformat(t) for t in window.groups())
    assert until - since == timedelta(minutes=25)
    assert re.findall(r"^## Job (.*)$", out, re.M) == ["DRS-orders-sync"]
    timeline = out.split("## Timeline of transitions", 1)[1]
    # Created 28 simulated minutes before the end (outside), exported 23 before (inside).
    assert "comparison\\_started" not in timeline and "export\\_saved" in timeline
    assert "--job no-such-job: not in the snapshot nor in the cutover log" in err
    assert ORDERS not in err
