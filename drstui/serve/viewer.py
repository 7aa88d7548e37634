"""One browser viewer: the process `drstui serve` starts for each browser tab.

    python -m drstui.serve.viewer [--notice TEXT] -- [connection and behaviour flags]

The flags after `--` are the ones given to `drstui serve` (profile, --demo, --refresh, ...),
resolved exactly as the TUI resolves them; credentials come from the environment or the config
file, never from this command line. The app is always read-only and writes no cutover log (the
monitor on the SRE's terminal records the transitions; N viewers must not write N copies).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence

from drstui.cli import build_parser, resolve_settings
from drstui.config import ConfigError
from drstui.logs import redact


def viewer_command(notice: str | None, flags: Sequence[str]) -> list[str]:
    """The argv that starts one viewer with these `drstui serve` flags."""
    head = [sys.executable, "-m", "drstui.serve.viewer"]
    if notice:
        head += ["--notice", notice]
    return [*head, "--", *flags]


def run_viewer(settings: object, notice: str | None = None) -> int:
    from drstui.monitor.cutover_log import CutoverLogReader, default_directory
    from drstui.ui.viewer_app import ViewerApp
    from drstui.wiring import open_sessions, run_app

    settings = dataclasses.replace(settings, read_only=True)  # type: ignore[type-var]
    # Today's log of the SRE's monitor (the demo's own for --demo), read for the events view.
    log = CutoverLogReader(directory=default_directory(demo=settings.demo))  # type: ignore[attr-defined]
    # Every scope the command line named (repeated --profile, a view), as the monitor shows them.
    sessions = open_sessions(settings, cutover_log=log)  # type: ignore[arg-type]
    app = ViewerApp(
        notice=notice,
        profile_label=sessions[0].profile_label if len(sessions) == 1 else (settings.view or "drstui"),  # type: ignore[attr-defined]
        refresh_seconds=settings.refresh,  # type: ignore[attr-defined]
        insecure=not settings.verify_tls,  # type: ignore[attr-defined]
        scopes=[(s.scope, s.monitor, None) for s in sessions],
    )
    return run_app(app, sessions)


def main(argv: Sequence[str] | None = None) -> int:
    own = argparse.ArgumentParser(prog="drstui.serve.viewer")
    own.add_argument("--notice", default=None)
    own.add_argument("flags", nargs=argparse.REMAINDER)
    args = own.parse_args(list(sys.argv[1:] if argv is None else argv))
    flags = args.flags[1:] if args.flags[:1] == ["--"] else args.flags
    try:
        settings = resolve_settings(build_parser().parse_args(flags))
        settings.check_ready()
    except ConfigError as exc:
        print(f"drstui: {redact(str(exc))}", file=sys.stderr)
        return 2
    return run_viewer(settings, args.notice)


if __name__ == "__main__":
    sys.exit(main())
