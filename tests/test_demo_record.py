"""Demo runs and tests stay out of the real record: a `--demo` session writes its cutover log and
its downloads to a place of its own, never into the files a real cutover keeps."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from drstui import cli, headless
from drstui.monitor.changes import Transition
from drstui.monitor.cutover_log import CutoverLog, default_directory, read_events

AT = datetime(2026, 1, 15, 8, 30, tzinfo=timezone.utc)


def _transition(message: str, at: datetime = AT) -> Transition:
    return Transition(at=at, job_id="job-1", job_name="orders", comparison_id="c1",
                      kind="comparison_started", old=None, new="RUNNING", counts={},
                      severity="info", message=message)


def _real_records(user_dirs: dict[str, Path]) -> list[Path]:
    """Files of the real record: the day's cutover logs and anything under the downloads."""
    state = user_dirs["XDG_STATE_HOME"] / "drstui"
    downloads = user_dirs["XDG_DOWNLOAD_DIR"]
    found = list(state.glob("cutover-*.jsonl")) if state.exists() else []
    return found + ([p for p in downloads.rglob("*") if p.is_file()] if downloads.exists() else [])


def test_the_monitor_in_demo_mode_logs_and_downloads_apart(user_dirs, monkeypatch, tmp_path):
    from drstui.ui import app as app_module

    seen = {}

    async def fake_run(self, *args, **kwargs):
        monitor = self.source
        now = datetime.now(timezone.utc)
        monitor.cutover_log.append([_transition("demo comparison started", now)])
        seen["log_path"] = monitor.cutover_log.path_for(now)
        seen["download_dir"] = monitor.exports.download_dir
        seen["events"] = [t.message for t in read_events(seen["log_path"])]

    monkeypatch.setattr(app_module.DrsTuiApp, "run_async", fake_run)
    assert cli.main(["--demo", "--log-file", str(tmp_path / "x.log")]) == 0

    assert _real_records(user_dirs) == []
    assert seen["log_path"].parent == default_directory(demo=True)
    assert seen["log_path"].exists()
    real_downloads = user_dirs["XDG_DOWNLOAD_DIR"]
    assert real_downloads not in seen["download_dir"].parents
    assert seen["events"] == ["demo comparison started"]


def test_a_demo_ignores_the_profiles_download_dir_but_not_the_flag(monkeypatch, tmp_path):
    from drstui.config import load_settings
    from drstui.wiring import download_dir_for

    environ = {"DRSTUI_DOWNLOAD_DIR": str(tmp_path / "real-exports")}
    from_env = load_settings(environ=environ, demo=True)
    assert download_dir_for(from_env) == default_directory(demo=True) / "downloads"
    assert download_dir_for(load_settings(environ=environ)) == tmp_path / "real-exports"
    flagged = load_settings(environ=environ, flags={"download_dir": str(tmp_path / "here")}, demo=True)
    assert download_dir_for(flagged) == tmp_path / "here"


def test_watch_in_demo_mode_logs_apart(user_dirs, monkeypatch, tmp_path):
    seen = {}

    async def fake_loop(session, until, timeout, *, job_ids=()):
        log = session.monitor.cutover_log
        log.append([_transition("demo watch")])
        seen["path"] = log.path_for(AT)
        return 0

    monkeypatch.setattr(headless, "watch_loop", fake_loop)
    assert cli.main(["watch", "--demo", "--log-file", str(tmp_path / "x.log")]) == 0
    assert _real_records(user_dirs) == []
    assert [t.message for t in read_events(seen["path"])] == ["demo watch"]


def test_a_real_run_and_a_demo_run_never_share_a_log(user_dirs):
    with CutoverLog(directory=default_directory()) as real, \
            CutoverLog(directory=default_directory(demo=True)) as demo:
        real.append([_transition("real")])
        demo.append([_transition("demo")])
        assert real.path_for(AT) != demo.path_for(AT)
        assert [t.message for t in read_events(real.path_for(AT))] == ["real"]
        assert [t.message for t in read_events(demo.path_for(AT))] == ["demo"]


def test_tests_run_with_a_pretend_user(user_dirs):
    """The autouse fixture in conftest: the real state folders are out of reach of any test."""
    import platformdirs

    assert Path(platformdirs.user_state_dir("drstui")).is_relative_to(user_dirs["XDG_STATE_HOME"])
    assert Path(platformdirs.user_downloads_dir()) == user_dirs["XDG_DOWNLOAD_DIR"]
    assert Path(platformdirs.user_config_dir("drstui")).is_relative_to(user_dirs["XDG_CONFIG_HOME"])
