"""A crash that still happens prints two short lines, not a traceback with every local variable,
and leaves a redacted crash report (0600) whose path it gives."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from drstui.logs import clear_secrets, register_secret, setup_logging, shutdown_logging
from drstui.ui import app as app_module
from drstui.ui.app import DrsTuiApp

from tests.ui.fakes import ScriptedSource

SECRET = "sk-CRASH-secret-4242"


class CrashingApp(DrsTuiApp):
    CSS_PATH = str(Path(app_module.__file__).parent / DrsTuiApp.CSS_PATH)  # type: ignore[operator]

    def on_ready(self) -> None:
        answer = {"jobs": ["x" * 1000] * 500}  # a big local Textual would have printed
        raise RuntimeError(f"boom while holding {SECRET} and {len(answer)} answers \x1b]2;pwned\x07")


async def test_a_crash_prints_a_short_message_and_the_path_of_a_redacted_report(tmp_path, capsys):
    log_dir = tmp_path / "log"
    setup_logging(log_dir / "drstui.log")
    register_secret(SECRET)
    try:
        app = CrashingApp(ScriptedSource(), profile_label="p", auto_refresh=False)  # type: ignore[arg-type]
        await app.run_async(headless=True, size=(80, 24))
    finally:
        shutdown_logging()
        clear_secrets()
    assert app.return_code == 1
    out, err = capsys.readouterr()
    printed = out + err
    assert len(printed) < 1000, f"{len(printed)} characters printed"
    assert "Traceback" not in printed and "xxxxxxxxxx" not in printed
    assert SECRET not in printed and "\x1b]2;" not in printed
    assert "drstui crashed: RuntimeError: boom while holding ***" in printed
    report = app.crash_report
    assert report is not None and report.parent == log_dir and str(report) in printed
    text = report.read_text(encoding="utf-8")
    assert "Traceback" in text and "on_ready" in text and "RuntimeError" in text
    assert SECRET not in text and "xxxxxxxxxx" not in text  # no locals, no secrets
    assert stat.S_IMODE(os.stat(report).st_mode) == 0o600
