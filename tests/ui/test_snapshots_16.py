"""The main states as a 16-colour xterm shows them (TERM=xterm): every state must stay readable
and distinguishable there, not only in true colour."""

from __future__ import annotations

from textual.pilot import Pilot

from drstui.ui.app import DrsTuiApp

from .fakes import ScriptedSource, fixed_clock, snapshot, stale_snapshot
from .test_trust import AUTH
from .xterm16 import as_xterm16
from .settling import after_keys, settle

WIDE = (120, 36)
SMALL = (80, 24)


def make_app(source: ScriptedSource | None = None) -> DrsTuiApp:
    app = DrsTuiApp(source or ScriptedSource(), profile_label="prod", clock=fixed_clock, auto_refresh=False)
    return as_xterm16(app)


settled = settle


def test_16_colours_jobs_ok(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=settled)


def test_16_colours_stale(snap_compare) -> None:
    assert snap_compare(make_app(ScriptedSource([stale_snapshot()])), terminal_size=SMALL, run_before=settled)


def test_16_colours_auth_failed(snap_compare) -> None:
    source = ScriptedSource([snapshot(connection=AUTH)])
    assert snap_compare(make_app(source), terminal_size=SMALL, run_before=settled)


def test_16_colours_detail(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=after_keys("down", "enter"))
