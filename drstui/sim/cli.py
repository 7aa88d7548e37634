"""``drstui sim``: serve the simulator over HTTP on loopback. ``main(argv) -> exit status``."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Callable, TextIO

from .clock import WallClock
from .core import SimCore
from .credentials import (DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_SK, DEFAULT_USER,
                          SIM_REGIONS, SimCredentials)
from .faults import GRAMMAR_HELP, FaultPlan, FaultSpecError, parse_fault_spec
from .server import SimHTTPServer
from .world import PROJECT_ID, REGION

DESCRIPTION = """\
Serve a simulated Huawei Cloud DRS, SMS and IAM API on one HTTP endpoint, for demos, tests and
cutover rehearsals. Point drstui (--endpoint URL), curl or the official SDK at it and use the
credentials printed on start (an IAM token from POST /v3/auth/tokens, or AK/SK signing)."""

EPILOG = f"""\
fault specs (--fault, repeatable):{GRAMMAR_HELP}
examples:
  drstui sim --fault 429=0.2 --fault latency=200ms
  drstui sim --fault '5xx=1@/v3/*/jobs/*/object/compare' --fault token-expiry=60s
  curl -si -X POST http://127.0.0.1:8080/v3/auth/tokens -H 'Content-Type: application/json' \\
    -d '{{"auth":{{"identity":{{"methods":["password"],"password":{{"user":{{"name":"{DEFAULT_USER}",
    "password":"{DEFAULT_PASSWORD}","domain":{{"name":"{DEFAULT_DOMAIN}"}}}}}}}},
    "scope":{{"project":{{"name":"{REGION}"}}}}}}}}'     # token in the X-Subject-Token header
"""


def _fault(text: str) -> str:
    try:
        parse_fault_spec(text)
    except FaultSpecError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="drstui sim", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on, 0 = any free (default: 8080)")
    parser.add_argument("--seed", type=int, default=7, help="world seed; same seed, same world (default: 7)")
    parser.add_argument("--jobs", type=_count, default=12, help="number of DRS jobs (default: 12)")
    parser.add_argument("--tables", type=_count, default=16, help="tables per DRS job (default: 16)")
    parser.add_argument("--sms-tasks", type=_count, default=6, help="number of SMS migration tasks (default: 6)")
    parser.add_argument("--ak", default=DEFAULT_AK, help=f"access key accepted (default: {DEFAULT_AK})")
    parser.add_argument("--sk", default=DEFAULT_SK, help=f"secret key accepted (default: {DEFAULT_SK})")
    parser.add_argument("--project-id", default=PROJECT_ID, help=f"project id (default: {PROJECT_ID})")
    parser.add_argument("--region", default=REGION, help=f"region / token scope (default: {REGION})")
    parser.add_argument("--user", default=DEFAULT_USER, help=f"IAM user name (default: {DEFAULT_USER})")
    parser.add_argument("--password", default=DEFAULT_PASSWORD,
                        help=f"IAM user password (default: {DEFAULT_PASSWORD})")
    parser.add_argument("--domain", default=DEFAULT_DOMAIN, help=f"IAM account (domain) name (default: {DEFAULT_DOMAIN})")
    parser.add_argument("--fault", action="append", type=_fault, default=[], metavar="SPEC",
                        help="inject a fault, e.g. 5xx=0.3, 429=0.2, latency=200ms (grammar below)")
    parser.add_argument("--speed", type=_positive_float, default=1.0,
                        help="simulated time runs this many times faster than real time (default: 1)")
    parser.add_argument("--hostile-names", action="store_true",
                        help="name jobs, tables, objects and SMS tasks with markup, terminal escapes and "
                             "bidi overrides, to rehearse what a client shows")
    parser.add_argument("--regions", type=_count, default=1, metavar="N",
                        help=f"serve N simulated regions, each a project and world of its own on its own "
                             f"port (PORT, PORT+1, …; any free ports with --port 0), 1 to {len(SIM_REGIONS)} "
                             f"(default: 1); prints a config file with one profile per region")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser


def profiles_text(served: list[tuple[str, str, SimCredentials]]) -> str:
    """A config file watching every served region in one view (`drstui --view sim`)."""
    lines = ["# drstui config for these simulated regions (drstui --config FILE --view sim):"]
    names = ", ".join(f'"{name}"' for name, _, _ in served)
    lines.append(f"[views.sim]\nprofiles = [{names}]")
    for name, url, creds in served:
        lines.append(f'[profiles.{name}]\nregion = "{creds.region}"\nproject_id = "{creds.project_id}"\n'
                     f'endpoint = "{url}"\nak = "{creds.ak}"\nsk = "{creds.sk}"')
    return "\n".join(lines)


def start_line(url: str, creds: SimCredentials) -> str:
    return (f"drstui sim: DRS, SMS and IAM on {url} | project {creds.project_id} region {creds.region} | "
            f"AK {creds.ak} SK {creds.sk} | user {creds.user} password {creds.password} domain {creds.domain}")


def main(argv: list[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None,
         on_ready: Callable[[SimHTTPServer], None] | None = None) -> int:
    """Run until interrupted. ``on_ready(server)`` (tests) is called once the server listens."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = build_parser()
    try:
        old_out, old_err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err  # argparse prints --help and usage errors itself
        try:
            args = parser.parse_args(argv)
        finally:
            sys.stdout, sys.stderr = old_out, old_err
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.regions > len(SIM_REGIONS):
        print(f"drstui sim: --regions: at most {len(SIM_REGIONS)}", file=err)
        return 2
    servers: list[SimHTTPServer] = []
    served: list[tuple[str, str, SimCredentials]] = []
    for index in range(args.regions):
        name, region, project_id = SIM_REGIONS[index]
        if index == 0:  # the first region is the one the flags describe
            region, project_id = args.region, args.project_id
        creds = SimCredentials(ak=args.ak, sk=args.sk, project_id=project_id, region=region,
                               user=args.user, password=args.password, domain=args.domain)
        core = SimCore.create(seed=args.seed + index, clock=WallClock(args.speed), jobs=args.jobs,
                              tables=args.tables, credentials=creds, faults=FaultPlan(args.seed, args.fault),
                              sms_tasks=args.sms_tasks, hostile_names=args.hostile_names or None)
        port = args.port + index if args.port else 0
        try:
            server = SimHTTPServer(core, args.host, port, verbose=args.verbose)
        except OSError as error:
            print(f"drstui sim: cannot listen on {args.host}:{port}: {error.strerror or error}", file=err)
            for started in servers:
                started.server_close()
            return 1
        servers.append(server)
        served.append((name, server.url, creds))
        print(start_line(server.url, creds), file=out, flush=True)
    if len(served) > 1:
        print(profiles_text(served), file=out, flush=True)
    for extra in servers[1:]:  # the other regions answer from threads; the first from here
        threading.Thread(target=extra.serve_forever, name=f"sim {extra.url}", daemon=True).start()
    first = servers[0]
    if on_ready is not None:
        on_ready(first)
    try:
        first.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers:
            if server is not first:
                server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
