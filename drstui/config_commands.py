"""`drstui config init` and `drstui config check`.

    drstui config init  [--path P] [--profile NAME] [--region R] [--project-id ID] [--ak AK]
                        [--sk SK] [--endpoint URL ...] [--force]
    drstui config check [--path P] [--profile NAME ...]

`init` writes a config file of one profile (mode 0600): the values from flags, else the
environment (HUAWEICLOUD_SDK_AK, ...), else asked for when stdin is a terminal (the secret key
without echo); what is still unknown is written as a commented placeholder. It never replaces
an existing file without --force.

`check` lists every problem of the file (exit 2), then signs in with each profile and lists one
page of DRS jobs, saying per profile what worked or exactly what failed (exit 1 if any failed).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from drstui.config import ConfigError, config_file_path, display_path, file_problems, load_settings
from drstui.config_schema import KEYS, Settings, check_value
from drstui.first_run import PLACEHOLDERS, missing, sources, template
from drstui.logs import redact, register_secret
from drstui.private_files import private_dir, write_private_text
from drstui.text import visible

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD = 2

ENDPOINT_KEYS = ("endpoint", "drs_endpoint", "iam_endpoint", "sms_endpoint")
# What `init` asks for on a terminal: (key, prompt, optional).
_PROMPTS = (
    ("region", "region (e.g. cn-north-4)", False),
    ("project_id", "project id (empty: look it up from the region)", True),
    ("ak", "access key id (AK)", False),
    ("sk", "secret access key (SK, not shown)", False),
    ("endpoint", "endpoint URL (empty: the public endpoints of the region)", True),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_BAD, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="drstui config", allow_abbrev=False,
                     description="Write or test the drstui config file.")
    commands = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = commands.add_parser(
        "init", allow_abbrev=False, help="write a config file (mode 600) from flags, the "
                                         "environment or answers to questions")
    _path_flag(init)
    init.add_argument("--profile", default="default", metavar="NAME",
                      help="name of the profile to write (default: default)")
    init.add_argument("--region", help="region id, e.g. cn-north-4 (or DRSTUI_REGION)")
    init.add_argument("--project-id", metavar="ID",
                      help="project id (or HUAWEICLOUD_SDK_PROJECT_ID; optional)")
    init.add_argument("--ak", metavar="AK", help="access key id (or HUAWEICLOUD_SDK_AK)")
    init.add_argument("--sk", metavar="SK",
                      help="secret access key (or HUAWEICLOUD_SDK_SK, or asked without echo; "
                           "a flag is visible to other users of this machine)")
    for key, what in zip(ENDPOINT_KEYS, ("one URL for every service (a private endpoint, "
                                         "a 'drstui sim' server)", "the DRS endpoint only",
                                         "the IAM endpoint only", "the SMS endpoint only")):
        init.add_argument("--" + key.replace("_", "-"), metavar="URL",
                          help=f"{what} (or {KEYS[key].env}; optional)")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    check = commands.add_parser(
        "check", allow_abbrev=False,
        help="validate the config file, then sign in and list DRS jobs with each profile")
    _path_flag(check)
    check.add_argument("--profile", action="append", default=[], metavar="NAME",
                       help="check only this profile (repeatable; default: every profile)")
    return parser


def _path_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--path", "--config", dest="path", metavar="PATH",
                        help="the config file (default: DRSTUI_CONFIG, else the platform "
                             "config dir)")


@dataclass
class Console:
    """Where the commands talk, and how they ask (tests pass their own)."""

    out: TextIO
    err: TextIO
    is_tty: bool
    ask: Callable[[str], str]
    ask_secret: Callable[[str], str]

    def say(self, text: str, *, error: bool = False) -> None:
        for line in redact(text).splitlines() or [""]:
            print(visible(line), file=self.err if error else self.out)


def _terminal() -> Console:
    tty = sys.stdin is not None and sys.stdin.isatty()
    return Console(sys.stdout, sys.stderr, tty, input, getpass.getpass)


def main(argv: Sequence[str], *, environ: Mapping[str, str] = os.environ,
         console: Console | None = None, transport: Any = None) -> int:
    """Run `drstui config ...`; `transport` (tests) replaces the network for `check`."""
    console = console or _terminal()
    try:
        args = build_parser().parse_args(list(argv))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    path = config_file_path(args.path, environ)
    try:
        if args.action == "init":
            return init_command(args, path, environ, console)
        return check_command(args, path, environ, console, transport=transport)
    except ConfigError as exc:
        console.say(f"drstui config {args.action}: {exc}", error=True)
        return EXIT_BAD
    except (KeyboardInterrupt, EOFError) as stop:
        console.say(f"\ndrstui config {args.action}: cancelled; nothing written", error=True)
        return 130 if isinstance(stop, KeyboardInterrupt) else EXIT_BAD


# --- init --------------------------------------------------------------------------------


def init_command(args: argparse.Namespace, path: Path, environ: Mapping[str, str],
                 console: Console) -> int:
    shown = display_path(path)
    if path.exists() and not args.force:
        console.say(f"drstui config init: {shown} already exists; not replacing it (use --force "
                    "to overwrite, --path to write elsewhere, or 'drstui config check' to test it)",
                    error=True)
        return EXIT_BAD
    profile = _checked_profile(args.profile)
    values = _given_values(args, environ)
    if args.sk:
        console.say("drstui config init: note: --sk is visible in the process list; "
                    "HUAWEICLOUD_SDK_SK or the prompt keep it out", error=True)
    if console.is_tty and not all(values.get(name) for name in ("region", "ak", "sk")):
        _ask_missing(values, console)
    text = template(profile, values)
    private_dir(path.parent)
    try:
        write_private_text(path, text, replace=args.force)
    except FileExistsError:
        console.say(f"drstui config init: {shown} already exists; not replacing it (use --force)",
                    error=True)
        return EXIT_BAD
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot write: {exc.strerror}") from None
    # What drstui itself makes of the file, environment left out: the file must stand alone.
    settings = load_settings(config_path=path, profile=profile, environ={})
    gaps = [gap for gap in missing(settings) if not gap.optional]
    if gaps:
        names = [name for gap in gaps
                 for name in (("ak", "sk") if gap.name == "credentials" else (gap.name,))]
        console.say(f"wrote a template to {shown} (mode 600), profile {profile}\n"
                    f"fill in {', '.join(names)}: in each line such as '# {names[0]} = ...' "
                    "put the value between the quotes and remove the leading '# ';\n"
                    f"then run: drstui config check{_path_hint(args)}")
        return EXIT_OK
    console.say(f"wrote {shown} (mode 600), profile {profile}: region {settings.region}"
                f"{', project ' + settings.project_id if settings.project_id else ''}\n"
                f"test it with: drstui config check{_path_hint(args)}")
    return EXIT_OK


def _path_hint(args: argparse.Namespace) -> str:
    return f" --path {args.path}" if args.path else ""


def _checked_profile(name: str) -> str:
    if not name.strip() or any(ord(c) < 32 or c in "\x7f" for c in name):
        raise ConfigError("--profile: must be a profile name such as bj4")
    return name.strip()


def _given_values(args: argparse.Namespace, environ: Mapping[str, str]) -> dict[str, str]:
    """Flag, else environment variable, for each key a template holds; each value checked."""
    values: dict[str, str] = {}
    for name in ("region", "project_id", "ak", "sk", *ENDPOINT_KEYS):
        key = KEYS[name]
        flag = getattr(args, name, None)
        raw, where = (flag, f"--{name.replace('_', '-')}") if flag else (environ.get(key.env),
                                                                         key.env)
        if not raw:
            continue
        if key.secret:
            register_secret(raw)
        checked = check_value(key, raw, where)
        values[name] = raw if key.secret else str(checked)
    return values


def _ask_missing(values: dict[str, str], console: Console) -> None:
    for name, prompt, optional in _PROMPTS:
        if values.get(name):
            continue
        if name == "endpoint" and any(values.get(k) for k in ENDPOINT_KEYS):
            continue
        key = KEYS[name]
        for _ in range(3):
            asker = console.ask_secret if key.secret else console.ask
            answer = asker(f"{prompt}: ")
            if key.secret:
                register_secret(answer)
            if not answer.strip():
                break  # left empty: optional, or a placeholder in the file
            try:
                checked = check_value(key, answer if key.secret else answer.strip(), name)
            except ConfigError as exc:
                console.say(str(exc), error=True)
                continue
            values[name] = answer if key.secret else str(checked)
            break
        if not optional and not values.get(name):
            console.say(f"{name}: left as a placeholder in the file", error=True)


# --- check -------------------------------------------------------------------------------


def check_command(args: argparse.Namespace, path: Path, environ: Mapping[str, str],
                  console: Console, *, transport: Any = None) -> int:
    shown = display_path(path)
    if not path.exists():
        console.say(f"drstui config check: no config file at {shown}; write one with "
                    "'drstui config init'", error=True)
        return EXIT_BAD
    document, problems = file_problems(path)
    if problems:
        console.say(f"config file {shown}: {len(problems)} problem(s):", error=True)
        for problem in problems:
            console.say(f"  {problem}", error=True)
        return EXIT_BAD
    assert document is not None
    names = list(document.get("profiles", {}))
    unknown = [name for name in args.profile if name not in names]
    if unknown:
        console.say(f"config file {shown}: no profile named {', '.join(unknown)} (profiles: "
                    f"{', '.join(names) or 'none'})", error=True)
        return EXIT_BAD
    chosen = args.profile or names
    if not chosen:
        console.say(f"config file {shown}: no profile ([profiles.NAME] table) in it; "
                    "'drstui config init' writes one", error=True)
        return EXIT_BAD
    loaded: list[Settings] = []
    incomplete = False
    for name in chosen:
        settings = load_settings(config_path=path, profile=name, environ=environ)
        gaps = [gap for gap in missing(settings) if not gap.optional]
        if gaps:
            incomplete = True
            console.say(f"profile {name}: incomplete: "
                        + "; ".join(f"{gap.name} ({gap.how})" for gap in gaps), error=True)
        else:
            loaded.append(settings)
    console.say(f"config file OK: {shown}" if not incomplete else
                f"config file readable: {shown}, but a profile is incomplete")
    overridden = sorted({origin for s in loaded for origin in s.origins.values()
                         if origin.startswith("environment variable")})
    if overridden:
        console.say("from the environment (it wins over the file): "
                    + ", ".join(o.removeprefix("environment variable ") for o in overridden))
    results = asyncio.run(_probe_all(loaded, transport))
    for ok, line in results:
        console.say(line, error=not ok)
    if incomplete:
        return EXIT_BAD
    return EXIT_OK if all(ok for ok, _ in results) else EXIT_FAILED


async def _probe_all(scopes: list[Settings], transport: Any) -> list[tuple[bool, str]]:
    return [await probe(settings, transport=transport) for settings in scopes]


async def probe(settings: Settings, *, transport: Any = None) -> tuple[bool, str]:
    """(worked, the line to print) for one profile: sign in, list one page of DRS jobs."""
    from drstui.api import ApiError, RetryPolicy
    from drstui.wiring import build_cloud

    head = (f"profile {settings.profile or 'default'}: region {settings.region}, project "
            f"{settings.project_id or '(from the region)'}")
    try:
        auth = "IAM token" if settings.auth_method == "token" else "AK/SK signing"
        cloud = build_cloud(settings, transport=transport, retry_policy=RetryPolicy.never())
    except ConfigError as exc:
        return False, f"{head}: FAILED: {exc}"
    drs = cloud.endpoints.drs
    try:
        project = await cloud.project_id()
        if not settings.project_id:
            head = head.replace("(from the region)", f"{project} (looked up from the region)")
        total = await _count_jobs(cloud)
    except ApiError as error:
        return False, f"{head}: FAILED: {explain(error, settings, drs)}"
    finally:
        await cloud.aclose()
    return True, f"{head}: {auth} OK, DRS reachable at {drs}, {total}"


async def _count_jobs(cloud: Any) -> str:
    """'12 jobs': one job per page, one listing per job type (the first tells which API)."""
    from drstui.api.drs import V3_DB_USE_TYPES, V5_JOB_TYPES

    first = await cloud.drs.list_jobs(0, 1)
    types = V3_DB_USE_TYPES if first.api_version == "v3" else V5_JOB_TYPES
    total = first.total or 0
    for job_type in types[1:]:
        page = await cloud.drs.list_jobs(0, 1, job_type=job_type)
        total += page.total or 0
    return f"{total} job{'s' if total != 1 else ''}"


def explain(error: Any, settings: Settings, drs: str) -> str:
    """A failed sign-in or job list in words: what failed and which setting to look at."""
    from drstui.monitor.reasons import describe, failure, is_clock_skew

    what = describe(error)
    host = getattr(error, "host", None) or drs
    path = getattr(error, "path", None) or ""
    code = (getattr(error, "error_code", None) or "").upper()
    status = getattr(error, "status", None)
    pid = settings.project_id
    project_words = (f"the project id {pid} is probably wrong (project_id)" if pid else
                     "the project id is probably missing or wrong: set project_id "
                     f"({sources('project_id')})")
    if error.kind in ("connect", "timeout"):
        return (f"cannot reach {failure(error)} (host unreachable: check the endpoint, the "
                "network, a proxy or the firewall)")
    if is_clock_skew(error):
        return f"the API refused the request time: this machine's clock is off ({what})"
    if path.endswith("/v3/auth/tokens"):
        if code == "IAM.0007" or "project" in what.lower():
            return f"IAM login refused for the project: {project_words} ({what})"
        return f"IAM login refused: check user, password and domain ({what})"
    if path.endswith("/v3/projects"):
        return (f"no project found for region {settings.region}: check region, or set "
                f"project_id ({what})")
    if error.kind == "auth":
        return (f"credentials refused at {host}: check ak and sk (signature or access key "
                f"not accepted) ({what})")
    if code == "APIGW.0302":
        return f"{project_words}: the API answered: {what}"
    if status == 404 or code == "APIGW.0101":
        return f"{project_words}, or {drs} is not a DRS endpoint: the API answered: {what}"
    if status == 403:
        return f"permission refused: the credentials may lack DRS read rights ({what})"
    return f"DRS at {host} answered: {what}"
