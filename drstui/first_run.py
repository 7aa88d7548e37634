"""What a run still needs before it can connect, said all at once, with a config file to copy.

`missing(settings)` lists every setting a scope lacks (region, credentials, an endpoint for a
region drstui has no table entry for) and where each may come from: the profile key, the
environment variable, the flag. `first_run_message` turns that into the text a first run
prints instead of one missing setting per attempt. `template` is the config file text that
`drstui config init` writes. Nothing here prints a secret: only key names and placeholders.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from drstui.config import display_path
from drstui.config_schema import KEYS, Settings

PLACEHOLDERS = {
    "region": "cn-north-4",
    "project_id": "YOUR-PROJECT-ID",
    "ak": "YOUR-ACCESS-KEY-ID",
    "sk": "YOUR-SECRET-ACCESS-KEY",
    "endpoint": "https://drs.example.internal",
}
# Written (commented out when not given) in this order.
TEMPLATE_KEYS = ("region", "project_id", "ak", "sk", "endpoint", "drs_endpoint", "iam_endpoint",
                 "sms_endpoint")


@dataclass(frozen=True)
class Missing:
    """One thing a scope lacks: its name and where it may be set."""

    name: str
    how: str
    optional: bool = False


def sources(*names: str) -> str:
    """'region in the profile, DRSTUI_REGION or --region' for one key; for several keys,
    the profile keys and the environment variables, in that order."""
    keys = [KEYS[name] for name in names]
    in_profile = _and(names) + " in the profile"
    envs = _and(tuple(key.env for key in keys))
    flags = [key.flag for key in keys if key.flag]
    if len(keys) == 1 and flags:
        return f"{in_profile}, {envs} or {flags[0]}"
    return f"{in_profile}, or {envs}"


def _and(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def missing(settings: Settings) -> list[Missing]:
    """Everything this scope lacks to connect (empty in demo mode or when complete); the
    project id comes last, marked optional, when it is not set."""
    if settings.demo:
        return []
    out: list[Missing] = []
    if not settings.region:
        out.append(Missing("region", sources("region") + " (e.g. cn-north-4)"))
    out.extend(_missing_credentials(settings))
    if settings.region and _needs_endpoint(settings):
        out.append(Missing("endpoint", f"drstui knows no DRS endpoint for region {settings.region}: "
                                       f"{sources('endpoint')} (or drs_endpoint)"))
    if out and not settings.project_id:
        out.append(Missing("project_id", "optional, looked up from the region when absent: "
                                         + sources("project_id"), optional=True))
    return out


def _missing_credentials(settings: Settings) -> list[Missing]:
    has = {name: bool(getattr(settings, name)) for name in ("ak", "sk", "user", "password", "domain")}
    method = settings.auth
    if method is None and (has["ak"] or has["sk"]):
        method = "aksk"
    elif method is None and (has["user"] or has["password"] or has["domain"]):
        method = "token"
    if method == "aksk":
        return [Missing(name, sources(name)) for name in ("ak", "sk") if not has[name]]
    if method == "token":
        return [Missing(name, sources(name)) for name in ("user", "password", "domain")
                if not has[name]]
    return [Missing("credentials", f"{sources('ak', 'sk')}; or, for an IAM token, "
                                   f"{sources('user', 'password', 'domain')}")]


def _needs_endpoint(settings: Settings) -> bool:
    from drstui.api.endpoints import DRS_ENDPOINTS

    return not (settings.endpoint or settings.drs_endpoint) and settings.region not in DRS_ENDPOINTS


def first_run_message(settings: Settings, config_path: Path) -> str | None:
    """The text to print when some scope cannot connect for want of a region or credentials
    (with everything else it lacks); None otherwise: other problems, an unknown region among
    them, are then told in one line as usual."""
    lines: list[str] = []
    for scope in settings.scopes:
        gaps = missing(scope)
        # An endpoint alone: more likely a mistyped region, which check_ready's line explains.
        if not any(not gap.optional and gap.name != "endpoint" for gap in gaps):
            continue
        head = f"profile {scope.profile}: " if scope.profile else ""
        lines.append(f"{head}cannot connect yet; missing:")
        width = max(len(gap.name) for gap in gaps)
        lines.extend(f"  {gap.name.ljust(width)}  {gap.how}" for gap in gaps)
    if not lines:
        return None
    state = "exists" if _exists(config_path) else "does not exist yet"
    lines.append(f"config file: {display_path(config_path)} ({state}; another one with --config "
                 "or DRSTUI_CONFIG)")
    lines.append("a minimal config file (mode 600: it holds the secret key):")
    lines.extend("    " + line for line in _minimal_example().splitlines())
    lines.append("write one with 'drstui config init', test it with 'drstui config check'; "
                 "or try the simulator: drstui --demo")
    return "\n".join(lines)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def _minimal_example() -> str:
    return "\n".join([
        "[profiles.default]",
        f'region = "{PLACEHOLDERS["region"]}"',
        f'project_id = "{PLACEHOLDERS["project_id"]}"    # optional',
        f'ak = "{PLACEHOLDERS["ak"]}"',
        f'sk = "{PLACEHOLDERS["sk"]}"',
    ])


# --- the file `drstui config init` writes ------------------------------------------------


def toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def template(profile: str, values: Mapping[str, str]) -> str:
    """A config file with one profile: the given values as keys, the others as commented
    lines with a placeholder (the file loads either way; `missing` then tells what is left)."""
    lines = [
        "# drstui configuration (TOML). Keys: see 'drstui --help'; check with 'drstui config check'.",
        "# This file holds a secret key: keep it mode 600.",
        f"default_profile = {json.dumps(profile)}",
        "",
        f"[profiles.{toml_key(profile)}]",
    ]
    for name in TEMPLATE_KEYS:
        if values.get(name):
            lines.append(f"{name} = {json.dumps(values[name])}")
        elif name in PLACEHOLDERS:
            note = _NOTES.get(name, "fill in, then remove the leading #")
            lines.append(f'# {name} = {json.dumps(PLACEHOLDERS[name])}    # {note}')
    lines += [
        "# Or an IAM token instead of ak and sk:",
        '# user = "IAM-USER"',
        '# password = "IAM-PASSWORD"',
        '# domain = "ACCOUNT-NAME"',
        "",
    ]
    return "\n".join(lines)


_NOTES = {
    "project_id": "optional: looked up from the region when absent",
    "endpoint": "only for a private or simulated endpoint (all services)",
}
