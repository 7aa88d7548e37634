"""Unit tests of the UI's pure parts: formatting, header line, alerts, refresh steps, tones."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drstui.monitor import changes
from drstui.monitor.snapshot import Connection, LinkState, Snapshot, Verdict
from drstui.ui.alerts import Alert, alerts_for
from drstui.ui.app import MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS, REFRESH_STEPS, next_step
from drstui.ui.formatting import (
    clock_time,
    human_duration,
    one_line,
    remaining_seconds,
    short_id,
    signed_difference,
)
from drstui.ui.header import HeaderState, header_text
from drstui.ui.jobs_pane import SortOrder, matches, sort_jobs
from drstui.ui.theme import Tone, job_status_tone

from .fakes import BILLING_ID, ERP_ID, NOW, ORDERS_ID, REPORTING_ID, replace_job, snapshot, stale_snapshot


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "—"), (0, "0s"), (59.9, "59s"), (60, "1m00s"), (3599, "59m59s"), (3600, "1h00m"),
     (86400 + 7200, "1d02h"), (-5, "0s")],
)
def test_human_duration(seconds: float | None, text: str) -> None:
    assert human_duration(seconds) == text


def test_small_formatters() -> None:
    assert signed_difference(3) == "+3" and signed_difference(-1200) == "-1,200" and signed_difference(0) == "0"
    assert signed_difference(None) == "—"
    assert short_id("94800607-3cd8-4f7d-a340-63a10f8jb502") == "94800607…"
    assert short_id("abc") == "abc"
    assert one_line("a\n  b\tc", 10) == "a b c"
    assert one_line("x" * 20, 5) == "xxxx…"
    assert clock_time(NOW) == "07:30:00"  # TZ=UTC in tests


def test_remaining_seconds_counts_down_and_knows_minus_one_means_no_report() -> None:
    assert remaining_seconds(-1, NOW, NOW) is None
    assert remaining_seconds(None, NOW, NOW) is None
    assert remaining_seconds(100, NOW - timedelta(seconds=30), NOW) == 70
    assert remaining_seconds(100, None, NOW) == 100


@given(st.floats(min_value=MIN_REFRESH_SECONDS, max_value=MAX_REFRESH_SECONDS))
def test_refresh_steps_move_monotonically_within_bounds(seconds: float) -> None:
    up, down = next_step(seconds, +1), next_step(seconds, -1)
    assert MIN_REFRESH_SECONDS <= down <= seconds <= up <= MAX_REFRESH_SECONDS
    assert up in REFRESH_STEPS and down in REFRESH_STEPS


def _state(snap, **changes) -> HeaderState:  # type: ignore[no-untyped-def]
    base = HeaderState(
        profile="prod", region=snap.region, project_id=snap.project_id, connection=snap.connection,
        taken_at=snap.taken_at, age_seconds=snap.age_seconds(NOW),
    )
    return dataclasses.replace(base, **changes)


def test_header_shows_everything_when_wide() -> None:
    line = header_text(_state(snapshot(), read_only=True, insecure=True), 200).plain
    for part in ("prod", "cn-north-4", "0a1b2c3d…", "● OK", "data 07:29:57, 3s old", "every 5s",
                 "READ-ONLY", "TLS VERIFY OFF"):
        assert part in line


def test_header_stale_states_since_when_and_why_and_fits() -> None:
    snap = stale_snapshot()
    wide = header_text(_state(snap), 160).plain
    assert "STALE since 07:25:48 (timed out after 10 s reading" in wide
    assert "4m15s old" in wide
    for width in (120, 80, 60):
        line = header_text(_state(snap, paused=True, read_only=True), width)
        assert line.cell_len <= width
        assert "STALE" in line.plain
    assert "PAUSED" in header_text(_state(snap, paused=True), 80).plain


@pytest.mark.parametrize(
    ("connection", "expected"),
    [
        (None, "connecting"),
        (Connection(LinkState.RETRYING, reason="HTTP 503"), "▲ retrying (HTTP 503)"),
        (Connection(LinkState.AUTH_FAILED, reason="APIGW.0301"), "✘ AUTH FAILED (APIGW.0301)"),
    ],
)
def test_header_connection_states(connection: Connection | None, expected: str) -> None:
    assert expected in header_text(_state(snapshot(), connection=connection), 120).plain


def test_header_never_shows_a_secret_it_was_not_given() -> None:
    # The header only prints fields of the Snapshot; the reason is already scrubbed upstream.
    line = header_text(_state(snapshot()), 200).plain
    assert "SK" not in line and "token" not in line.lower()


def find_alerts(previous: Snapshot, current: Snapshot) -> list[Alert]:
    """What the app alerts on for one refresh: the Monitor's transitions, picked and worded."""
    return alerts_for(changes.transitions(previous, current), current)


def test_first_or_unchanged_snapshot_raises_no_alerts() -> None:
    assert alerts_for(changes.transitions(None, snapshot()), snapshot()) == []
    assert find_alerts(snapshot(), snapshot()) == []


def test_alert_on_job_failing_and_on_new_inconsistent_comparison() -> None:
    before = snapshot()
    after = replace_job(before, REPORTING_ID, status="INCRE_TRANSFER_FAILED")
    [alert] = find_alerts(before, after)
    assert alert.severity == "error" and alert.subject == "job" and alert.old_state == "PAUSING"
    # comparisons that appear already inconsistent are news too
    no_comparisons = replace_job(before, BILLING_ID, object_comparison=None, data_comparisons=())
    alerts = find_alerts(no_comparisons, before)
    assert {a.subject for a in alerts} == {"object comparison", "lines comparison 5c0a9c7e…"}
    assert all(a.severity == "warning" and a.job_id == BILLING_ID for a in alerts)
    # a job that (re)appears in the list is shown, not announced (as in the cutover log)
    without_billing = dataclasses.replace(before, jobs=tuple(j for j in before.jobs if j.id != BILLING_ID))
    assert find_alerts(without_billing, before) == []


def test_no_alert_when_a_comparison_becomes_consistent() -> None:
    before = snapshot()
    after = replace_job(before, BILLING_ID, verdict=Verdict.CONSISTENT)
    assert find_alerts(before, after) == []


def test_severity_sort_puts_failed_then_inconsistent_first_and_filter_matches() -> None:
    jobs = snapshot().jobs
    ordered = [job.id for job in sort_jobs(jobs, SortOrder.SEVERITY)]
    assert ordered[:2] == [ERP_ID, BILLING_ID] and ordered[-1] == ORDERS_ID
    by_id = {job.id: job for job in jobs}
    assert matches(by_id[BILLING_ID], "BILLING") and matches(by_id[BILLING_ID], "jb502")
    assert matches(by_id[ERP_ID], "oracle") and not matches(by_id[ORDERS_ID], "oracle")


@pytest.mark.parametrize(
    ("status", "tone"),
    [("INCRE_TRANSFER_STARTED", Tone.OK), ("PAUSING", Tone.WARN), ("FULL_TRANSFER_STARTED", Tone.WARN),
     ("CONFIGURATION", Tone.WARN), ("WAITING_FOR_START", Tone.WARN), ("CREATE_FAILED", Tone.BAD),
     ("SOMETHING_NEW", Tone.PLAIN)],
)
def test_job_status_tones(status: str, tone: Tone) -> None:
    assert job_status_tone(status) is tone


def test_long_paths_are_cut_in_the_middle_keeping_the_file_name():
    from drstui.ui.exports_pane import saved_as
    from drstui.ui.formatting import middle_ellipsis

    assert middle_ellipsis("short", 10) == "short"
    cut = middle_ellipsis("/very/long/folder/path/to/the/downloads", 20)
    assert len(cut) == 20 and cut.startswith("/very/") and cut.endswith("/downloads") and "…" in cut
    shown = saved_as("/srv/cutover/night-of-2026-12-05/reports/drs/downloads/crm-sync-rows-20261205T060309Z.xlsx")
    assert shown.startswith("crm-sync-rows-20261205T060309Z.xlsx  in /srv/")
    assert shown.endswith("downloads") and "…" in shown
