"""The `drstui` command: parse flags, resolve Settings, start the monitor or a headless command.

    drstui [common flags]                      the monitor (Textual app)
    drstui sim ...                             the API simulator as an HTTP server
    drstui snapshot [--json] [--gate consistent|ready] [--job ID ...]
                                               one refresh, printed, exit status tells the story
    drstui watch --until consistent|ready [--timeout 30m] [--job ID ...]
    drstui serve [--host H] [--port N]         the monitor in a browser, read-only
    drstui report [--format html|md] [--output FILE] [--since T] [--until T] [--job ID ...]
    drstui config init|check ...               write or test the config file (config_commands)

Exit status 2 means bad arguments or configuration: one line on stderr, or, when settings are
missing, the list of all of them with the config file's path and an example.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Mapping, Sequence

from drstui import __version__
from drstui.config import ConfigError, Settings, load_scopes, parse_duration
from drstui.config_schema import KEYS
from drstui.logs import redact, setup_logging, write_crash_report
from drstui.text import visible
from drstui.report.options import add_report_flags

log = logging.getLogger(__name__)

EXIT_BAD_ARGS = 2

# Flags that set a config key (key -> argparse dest). --insecure is handled apart.
_FLAG_KEYS = {key.name: key.flag[2:].replace("-", "_")
              for key in KEYS.values() if key.flag and key.name not in ("verify_tls", "cutover_jobs")}


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line, not usage + message."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_BAD_ARGS, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _count(minimum: int, maximum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {minimum} to {maximum}, got {text!r}")
        return value
    return parse


def _common_flags() -> argparse.ArgumentParser:
    """Flags shared by the monitor, snapshot and watch.

    Defaults are SUPPRESS so an absent flag is absent from the namespace: it then neither
    overrides the config nor clobbers the same flag given before the subcommand.
    """
    common = _Parser(add_help=False, argument_default=argparse.SUPPRESS, allow_abbrev=False)
    conn = common.add_argument_group("connection")
    conn.add_argument("--demo", action="store_true",
                      help="run on the embedded simulator (no cloud account needed)")
    conn.add_argument("--profile", metavar="NAME", action="append",
                      help="profile in the config file; repeat it to watch several profiles "
                           "(regions, projects) in one view")
    conn.add_argument("--view", metavar="NAME",
                      help="a named view of the config file ([views.NAME] profiles = [...])")
    conn.add_argument("--config", metavar="PATH",
                      help="config file (default: the platform config dir; or DRSTUI_CONFIG)")
    conn.add_argument("--endpoint", metavar="URL",
                      help="one endpoint URL for all services (e.g. a `drstui sim` server)")
    conn.add_argument("--region", metavar="REGION", help="region id, e.g. cn-north-4")
    conn.add_argument("--project-id", metavar="ID", help="project id")
    conn.add_argument("--insecure", action="store_true",
                      help="do NOT verify TLS certificates (prints a warning)")
    conn.add_argument("--ca-bundle", metavar="PATH", help="CA bundle file to verify TLS with")
    disp = common.add_argument_group("behaviour")
    disp.add_argument("--refresh", metavar="SECONDS", help="refresh interval, 1 s to 5 min (5, 30s, 2m)")
    disp.add_argument("--read-only", action=argparse.BooleanOptionalAction,
                      help="refuse actions that change anything (comparisons, exports)")
    disp.add_argument("--download-dir", metavar="DIR", help="where exported files go")
    disp.add_argument("--language", metavar="L", help="API message language: en-us or zh-cn")
    disp.add_argument("--bell", action=argparse.BooleanOptionalAction,
                      help="ring the terminal bell on alerts")
    disp.add_argument("--log-file", metavar="PATH", help="log file (rotated, redacted)")
    disp.add_argument("--log-level", metavar="LEVEL",
                      help="info (default: failures, retries, state changes) or debug (every request too)")
    ready = common.add_argument_group("cutover readiness")
    ready.add_argument("--max-lag", metavar="DURATION",
                       help="ready only with replication lag at or under this (default 5s)")
    ready.add_argument("--stable-for", metavar="DURATION",
                       help="... for at least this long (default 2m)")
    ready.add_argument("--max-compare-age", metavar="DURATION",
                       help="ready only with comparisons younger than this (default 1h)")
    demo = common.add_argument_group("demo")
    demo.add_argument("--seed", type=_count(0, 2**31 - 1), metavar="N",
                      help="simulator random seed")
    demo.add_argument("--jobs", type=_count(1, 10_000), metavar="N",
                      help="number of simulated DRS jobs")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_flags()
    parser = _Parser(
        prog="drstui", parents=[common], allow_abbrev=False,
        description="Terminal monitor for Huawei Cloud DRS comparisons and SMS consistency "
                    "exports. Without a command, starts the monitor.",
        epilog="Credentials: HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK (or DRSTUI_USER, "
               "DRSTUI_PASSWORD, DRSTUI_DOMAIN), or a profile in the config file.",
    )
    parser.add_argument("--version", action="version", version=f"drstui {__version__}")
    parser.add_argument("--job", dest="job_ids", action="extend", nargs="+", default=argparse.SUPPRESS,
                        metavar="ID", help="the cutover set: the jobs that must be ready (repeatable; "
                                           "default: cutover_jobs of the profile, else every job)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sim = commands.add_parser("sim", add_help=False,
                              help="run the API simulator as an HTTP server (drstui sim --help)")
    sim.add_argument("sim_args", nargs=argparse.REMAINDER)
    config = commands.add_parser("config", add_help=False,
                                 help="write (init) or test (check) the config file "
                                      "(drstui config --help)")
    config.add_argument("config_args", nargs=argparse.REMAINDER)

    snapshot = commands.add_parser(
        "snapshot", parents=[common], allow_abbrev=False,
        help="one refresh without the UI; exit 0 consistent, 1 not, 2 unreachable/bad args")
    snapshot.add_argument("--json", action="store_true", help="print JSON instead of a table")
    snapshot.add_argument("--gate", choices=("consistent", "ready"), default="consistent",
                          help="what the exit status tells: consistent (default: 0 all consistent) "
                               "or ready (0 ready for cutover, 1 not ready, 2 unable to tell)")
    _add_job_filter(snapshot)

    watch = commands.add_parser(
        "watch", parents=[common], allow_abbrev=False,
        help="wait until every selected comparison is consistent, one line per transition")
    watch.add_argument("--until", choices=("consistent", "ready"), default="consistent",
                       help="condition to wait for: consistent (default) or ready (the cutover "
                            "set is ready: lag, links, comparisons, DDL alarms)")
    watch.add_argument("--timeout", dest="watch_timeout", type=_duration, default=None,
                       metavar="DURATION", help="give up after e.g. 90s, 30m, 1h (default: never)")
    _add_job_filter(watch)

    serve = commands.add_parser(
        "serve", parents=[common], allow_abbrev=False,
        help="the monitor in a browser, read-only (one app process per viewer)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; anything else is reachable "
                            "from other machines and prints a warning)")
    serve.add_argument("--port", type=_count(1, 65535), default=8000, help="port (default 8000)")
    serve.add_argument("--max-viewers", type=_count(1, 50), default=4, metavar="N",
                       help="browser tabs open at once (default 4); each polls the API")

    report = commands.add_parser(
        "report", parents=[common], allow_abbrev=False,
        help="one self-contained HTML or Markdown file from the cutover log and a fresh snapshot")
    add_report_flags(report)
    _add_job_filter(report)
    return parser


def _add_job_filter(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--job", dest="job_ids", action="extend", nargs="+", default=[],
                        metavar="ID", help="only these DRS job ids (repeatable)")


def resolve_settings(args: argparse.Namespace, environ: Mapping[str, str] = os.environ
                     ) -> Settings:
    """Settings from the config file, `environ` and the parsed flags (flags win)."""
    flags: dict[str, object] = {key: getattr(args, dest)
                                for key, dest in _FLAG_KEYS.items() if hasattr(args, dest)}
    if getattr(args, "insecure", False):
        flags["verify_tls"] = False
    if getattr(args, "job_ids", None):  # --job: the cutover set (and, headless, the selection)
        flags["cutover_jobs"] = list(args.job_ids)
    profiles = getattr(args, "profile", None) or []
    if profiles and getattr(args, "view", None):
        raise ConfigError("--profile and --view both name what to watch: give one of them")
    return load_scopes(
        config_path=getattr(args, "config", None),
        profiles=profiles,
        view=getattr(args, "view", None),
        environ=environ,
        flags=flags,
        demo=getattr(args, "demo", False),
        seed=getattr(args, "seed", None),
        jobs=getattr(args, "jobs", None),
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sim"]:
        # The simulator has its own flags: hand them over untouched.
        return _call("drstui.sim.cli", "main", argv[1:])
    if argv[:1] == ["config"]:
        return _call("drstui.config_commands", "main", argv[1:])

    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a bad flag (already printed)
        return exc.code if isinstance(exc.code, int) else 0
    if args.command in ("sim", "config"):
        return _fail(f"put '{args.command}' first: drstui {args.command} [its options]")

    try:
        settings = resolve_settings(args)
        if not getattr(args, "offline", False):  # `report --offline` reads only the log
            first_run = _first_run_message(settings, args)
            if first_run:
                # Made of key names, placeholders and the file's path only: not redacted,
                # so the example keeps its sk placeholder.
                print("drstui: " + visible(first_run, newlines=True), file=sys.stderr)
                return EXIT_BAD_ARGS
            settings.check_ready()
    except ConfigError as exc:
        return _fail(str(exc))
    if settings.tls_warning:
        print(f"drstui: {settings.tls_warning}", file=sys.stderr)
    if settings.plain_http_warning:
        print(f"drstui: {settings.plain_http_warning}", file=sys.stderr)
    _start_log(settings)

    if args.command == "snapshot":
        return _call("drstui.headless", "snapshot_command", settings, args)
    if args.command == "watch":
        return _call("drstui.headless", "watch_command", settings, args)
    if args.command == "serve":
        return _call("drstui.serve.server", "serve_command", settings, args)
    if args.command == "report":
        return _call("drstui.report.command", "report_command", settings, args)
    return _call("drstui.wiring", "run_monitor", settings)


def _first_run_message(settings: Settings, args: argparse.Namespace) -> str | None:
    """Every missing setting with the config file's path and an example, or None."""
    from drstui.config import config_file_path
    from drstui.first_run import first_run_message

    return first_run_message(settings, config_file_path(getattr(args, "config", None)))


def _start_log(settings: Settings) -> None:
    try:
        level = logging.DEBUG if settings.log_level == "debug" else logging.INFO
        setup_logging(settings.log_file, level=level)
    except OSError as exc:
        print(f"drstui: not logging to {settings.log_file}: {exc.strerror}", file=sys.stderr)
        return
    log.info("drstui %s starting: %s", __version__, settings.redacted())


def _call(module: str, function: str, *args: object) -> int:
    """Import `module` only now (it pulls in Textual or the simulator) and run `function`."""
    try:
        target = getattr(importlib.import_module(module), function)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return _fail(f"{module} is not available in this installation", status=1)
        raise
    try:
        return int(target(*args) or 0)
    except KeyboardInterrupt:
        return 130
    except ConfigError as exc:
        return _fail(str(exc))
    except Exception as exc:
        # No traceback on the terminal (it may carry secrets): a redacted report on disk.
        report = write_crash_report(exc)
        where = f"a redacted crash report is in {report}" if report else "details in the log file"
        what = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        return _fail(f"internal error: {what} ({where})", status=1)


def _fail(message: str, status: int = EXIT_BAD_ARGS) -> int:
    # Messages quote config values and API text: no terminal controls reach the terminal.
    print(f"drstui: {visible(redact(message))}", file=sys.stderr)
    return status
