"""What a drstui configuration may contain: the keys, how each value is checked, and `Settings`.

Loading (files, environment, flags, precedence) lives in `drstui.config`; this module only knows
what a valid value looks like, so the same checks apply whichever layer a value came from.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
import ssl
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import idna
import platformdirs

from drstui.logs import default_log_file, redact


class ConfigError(Exception):
    """A configuration problem, worded as one line: `<where>: <key>: <problem>`."""


class Invalid(ValueError):
    """Raised by a value check; the message is the problem, without the offending value."""


# --- durations ---------------------------------------------------------------------------

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([hms])")
_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}


def parse_duration(text: str) -> float:
    """Seconds in `45`, `90s`, `30m`, `1h` or `1h30m`; ValueError with a clear message otherwise."""
    cleaned = text.strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        seconds = float(cleaned)
    elif cleaned and _DURATION_PART.sub("", cleaned) == "":
        seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in _DURATION_PART.findall(cleaned))
    else:
        raise ValueError(
            f"invalid duration {_quote(text)}: use e.g. 90s, 30m, 1h or a number of seconds"
        )
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"invalid duration {_quote(text)}: must be more than 0 seconds")
    return seconds


# --- value checks ------------------------------------------------------------------------
# Each takes the raw value (TOML value, or a string from the environment or a flag) and
# returns the typed value or raises Invalid. Strings are accepted for numbers and booleans
# so the environment and flags share these checks with the file.

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: object, *, strip: bool = True) -> str:
    if not isinstance(value, str):
        raise Invalid("must be a string")
    text = value.strip() if strip else value
    if not text.strip():
        raise Invalid("must not be empty")
    if _CONTROL.search(text):
        raise Invalid("must not contain control characters")
    if _SURROGATE.search(text):
        # What Python makes of bytes that are not UTF-8 (an environment variable set in
        # another encoding): it could not be sent or signed.
        raise Invalid("is not valid UTF-8 text")
    return text


def _secret(value: object) -> str:
    # Secrets are kept exactly as given: a password may start or end with a space.
    return _text(value, strip=False)


def _pattern(regex: str, problem: str, *, lower: bool = False) -> Callable[[object], str]:
    compiled = re.compile(regex)

    def check(value: object) -> str:
        text = _text(value)
        text = text.lower() if lower else text
        if not compiled.fullmatch(text):
            raise Invalid(problem)
        return text

    return check


def _choice(*choices: str) -> Callable[[object], str]:
    problem = "must be " + " or ".join(f'"{c}"' for c in choices)

    def check(value: object) -> str:
        text = _text(value).lower().replace("_", "-")
        if text not in choices:
            raise Invalid(problem)
        return text

    return check


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise Invalid("must be true or false")


def _seconds(low: int, high: int) -> Callable[[object], float]:
    problem = f"must be a number of seconds between {low} and {high}"

    def check(value: object) -> float:
        if isinstance(value, bool):
            raise Invalid(problem)
        try:
            if isinstance(value, (int, float)):
                seconds = float(value)
            elif isinstance(value, str):
                seconds = parse_duration(value)
            else:
                raise Invalid(problem)
        except (ValueError, OverflowError):
            raise Invalid(problem) from None
        if not low <= seconds <= high:  # also rejects NaN
            raise Invalid(problem)
        return seconds

    return check


_JOB_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def _job_ids(value: object) -> tuple[str, ...]:
    """DRS job ids: a TOML list of strings, or (environment) a comma-separated string."""
    problem = 'must be a list of DRS job ids, e.g. ["94800607-...-63a10f8jb502"]'
    if isinstance(value, str):
        items: list[object] = [part.strip() for part in value.split(",") if part.strip()]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise Invalid(problem)
    if not items or not all(isinstance(item, str) and _JOB_ID.fullmatch(item.strip()) for item in items):
        raise Invalid(problem)
    return tuple(dict.fromkeys(str(item).strip() for item in items))
def _number(low: int, high: int, what: str) -> Callable[[object], float]:
    problem = f"must be {what} between {low} and {high}"

    def check(value: object) -> float:
        if isinstance(value, bool):
            raise Invalid(problem)
        try:
            size = float(value) if isinstance(value, (int, float, str)) else float("nan")
        except ValueError:
            raise Invalid(problem) from None
        if not low <= size <= high:  # also rejects NaN
            raise Invalid(problem)
        return size

    return check


def _url(value: object) -> str:
    problem = "must be an http(s) URL such as https://drs.cn-north-4.myhuaweicloud.com"
    text = _text(value)
    if "://" not in text:
        text = "https://" + text  # as the SDK does
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise Invalid(problem) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in text:
        raise Invalid(problem)
    if parts.username or parts.password:
        raise Invalid("must not contain a user name or password")
    if parts.query or parts.fragment:
        raise Invalid("must not contain a query or fragment")
    if not _valid_host(parts.hostname):
        raise Invalid("has a host name that is not a valid (internationalised) domain name")
    return text.rstrip("/")


def _valid_host(host: str) -> bool:
    """A host name that can be looked up and sent: valid IDNA (xn-- labels included)."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        if not host.isascii():
            idna.encode(host, uts46=True)
        elif any(label.startswith("xn--") for label in host.lower().split(".")):
            idna.decode(host)
    except (idna.IDNAError, UnicodeError, ValueError):
        return False
    return True


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _path(value: object) -> Path:
    try:
        return Path(_text(value)).expanduser()
    except RuntimeError:  # "~" with no home directory
        raise Invalid("must be a path (could not expand ~)") from None


def _existing_file(value: object) -> Path:
    path = _path(value)
    try:
        exists = path.is_file()
    except (OSError, ValueError):
        exists = False
    if not exists:
        raise Invalid("must be an existing file")
    return path


def _ca_bundle(value: object) -> Path:
    path = _existing_file(value)
    try:
        ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError):
        raise Invalid("must be a PEM file of CA certificates (this one holds none)") from None
    return path


# --- the keys ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One configuration key: its check, where it may also come from, and how secret it is."""

    name: str
    check: Callable[[object], object]
    env: str  # environment variable that overrides the file
    flag: str | None = None  # command-line flag that overrides both
    secret: bool = False  # registered for log redaction; file must then be private
    hidden: bool = False  # never echoed in errors or `describe()` (secrets, and the AK)


def _key(name: str, check: Callable[[object], object], **kw: object) -> Key:
    kw.setdefault("env", "DRSTUI_" + name.upper())
    return Key(name, check, **kw)  # type: ignore[arg-type]


_REGION = _pattern(r"[a-z]{2}(-[a-z0-9]+)+", "must be a region id such as cn-north-4", lower=True)
_PROJECT = _pattern(
    r"[A-Za-z0-9_-]{1,64}", "must be a project id (letters and digits, such as 0a1b2c3d...)"
)
_AK = _pattern(r"[A-Za-z0-9]{1,128}", "must be an access key id (letters and digits only)")

KEYS: Mapping[str, Key] = MappingProxyType({k.name: k for k in (
    _key("region", _REGION, flag="--region"),
    _key("project_id", _PROJECT, env="HUAWEICLOUD_SDK_PROJECT_ID", flag="--project-id"),
    _key("auth", _choice("aksk", "token")),
    _key("ak", _AK, env="HUAWEICLOUD_SDK_AK", hidden=True),
    _key("sk", _secret, env="HUAWEICLOUD_SDK_SK", secret=True, hidden=True),
    _key("security_token", _secret, env="HUAWEICLOUD_SDK_SECURITY_TOKEN", secret=True,
         hidden=True),
    _key("user", _text),
    _key("password", _secret, secret=True, hidden=True),
    _key("domain", _text),
    _key("endpoint", _url, flag="--endpoint"),
    _key("drs_endpoint", _url),
    _key("sms_endpoint", _url),
    _key("iam_endpoint", _url),
    _key("refresh", _seconds(1, 300), flag="--refresh"),  # the range + and - move in
    _key("download_dir", _path, flag="--download-dir"),
    _key("read_only", _bool, flag="--read-only"),
    _key("language", _choice("en-us", "zh-cn"), flag="--language"),
    _key("verify_tls", _bool, flag="--insecure"),
    _key("ca_bundle", _ca_bundle, flag="--ca-bundle"),
    _key("timeout", _seconds(1, 600)),
    # Hard limits per call (see drstui.api.limits).
    _key("max_answer_mb", _number(1, 1024, "a size in MiB")),
    _key("max_download_mb", _number(1, 102400, "a size in MiB")),
    # Requests one account may send per minute: past it, refreshes come less often (the header says so).
    _key("max_requests_per_minute", _number(10, 100_000, "a number of requests")),
    _key("call_deadline", _seconds(5, 3600)),
    _key("download_deadline", _seconds(10, 86400)),
    _key("bell", _bool, flag="--bell"),
    _key("log_file", _path, flag="--log-file"),
    _key("log_level", _choice("info", "debug"), flag="--log-level"),
    # Cutover readiness (drstui.monitor.readiness): the jobs that must be ready, and the limits.
    _key("cutover_jobs", _job_ids, flag="--job"),
    _key("max_lag", _seconds(0, 86400), flag="--max-lag"),
    _key("stable_for", _seconds(0, 86400), flag="--stable-for"),
    _key("max_compare_age", _seconds(1, 30 * 86400), flag="--max-compare-age"),
)})

SECRET_KEYS = tuple(k.name for k in KEYS.values() if k.secret)


def check_value(key: Key, value: object, where: str) -> object:
    """The checked value, or ConfigError `<where>: <problem>, got <value>` (secrets not shown)."""
    try:
        return key.check(value)
    except Invalid as exc:
        raise ConfigError(f"{where}: {exc}, got {_shown(value, key.hidden)}") from None


def _shown(value: object, hidden: bool) -> str:
    if hidden:
        return f"a hidden {_type_name(value)}"
    if isinstance(value, str):
        return redact(_quote(value))  # e.g. a password inside a URL
    return _type_name(value) if isinstance(value, (dict, list)) else _quote(value)


def _type_name(value: object) -> str:
    names = {str: "string", bool: "boolean", int: "integer", float: "number",
             list: "list", dict: "table"}
    return names.get(type(value), type(value).__name__)


def _quote(value: object, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 4] + '..."'


# --- Settings ----------------------------------------------------------------------------


def default_download_dir() -> Path:
    return Path(platformdirs.user_downloads_dir()) / "drstui"


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to connect and behave, resolved from file < env < flags."""

    region: str | None = None
    project_id: str | None = None
    auth: str | None = None  # "aksk" | "token" | None (decided from the credentials present)
    ak: str | None = field(default=None, repr=False)
    sk: str | None = field(default=None, repr=False)
    security_token: str | None = field(default=None, repr=False)
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    domain: str | None = None
    endpoint: str | None = None  # one override for every service (e.g. the simulator)
    drs_endpoint: str | None = None
    sms_endpoint: str | None = None
    iam_endpoint: str | None = None
    refresh: float = 5.0
    download_dir: Path = field(default_factory=default_download_dir)
    read_only: bool = False
    language: str = "en-us"
    verify_tls: bool = True
    ca_bundle: Path | None = None
    timeout: float = 30.0
    max_requests_per_minute: float = 600.0  # per account: scopes with one AK share it (drstui.monitor.budget)
    max_answer_mb: float = 16.0
    max_download_mb: float = 1024.0
    call_deadline: float = 60.0
    download_deadline: float = 1800.0
    bell: bool = False
    log_file: Path = field(default_factory=default_log_file)
    log_level: str = "info"  # "debug" also logs every request that succeeded
    cutover_jobs: tuple[str, ...] | None = None  # None: every job counts
    max_lag: float = 5.0  # seconds (defaults: drstui.monitor.readiness.Thresholds)
    stable_for: float = 120.0
    max_compare_age: float = 3600.0
    # How this run was started (not config keys).
    profile: str | None = None
    config_path: Path | None = None  # the file actually read, if any
    demo: bool = False
    seed: int | None = None
    jobs: int | None = None
    # Other scopes watched in the same view (repeated --profile, or a [views.NAME] table), each
    # resolved like this one; this one is the first. Empty: one scope.
    more_scopes: tuple[Settings, ...] = field(default=(), repr=False, compare=False)
    view: str | None = None  # the named view these scopes came from, if any
    # key -> where its value came from, for `describe()`.
    origins: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    @property
    def scopes(self) -> tuple[Settings, ...]:
        """Every scope of this run, this one first."""
        return (self, *self.more_scopes)

    @property
    def auth_method(self) -> str:
        """"aksk", "token", or "demo"; ConfigError naming what is missing otherwise."""
        has_aksk = bool(self.ak and self.sk)
        has_token = bool(self.user and self.password)
        method = self.auth or ("aksk" if has_aksk else "token" if has_token else None)
        if method == "aksk" and not has_aksk:
            raise ConfigError(f"{self._where()}auth is aksk but ak and sk are not both set "
                              "(HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK)")
        if method == "token":
            missing = [k for k in ("user", "password", "domain") if not getattr(self, k)]
            if missing:
                raise ConfigError(f"{self._where()}token auth needs {', '.join(missing)} "
                                  "(DRSTUI_USER / DRSTUI_PASSWORD / DRSTUI_DOMAIN)")
        if method:
            return method
        if self.demo:
            return "demo"
        raise ConfigError(
            f"{self._where()}no credentials: set ak and sk (or HUAWEICLOUD_SDK_AK and "
            "HUAWEICLOUD_SDK_SK), or user, password and domain; or try --demo"
        )

    def check_ready(self) -> None:
        """Raise ConfigError if a real (non-demo) connection cannot be attempted."""
        for other in self.more_scopes:
            other.check_ready()
        if self.demo:
            return
        if not self.region:
            raise ConfigError(f"{self._where()}no region: set region in the profile, "
                              "DRSTUI_REGION or --region (e.g. cn-north-4)")
        self.auth_method  # noqa: B018 - raises if credentials are missing

    @property
    def tls_warning(self) -> str | None:
        """The warning to show (stderr and on screen) while TLS verification is off."""
        if self.verify_tls:
            return None
        return ("WARNING: TLS certificate verification is OFF (--insecure / verify_tls = false): "
                "the connection can be intercepted")

    @property
    def plain_http_warning(self) -> str | None:
        """The warning to show when credentials would cross the network unencrypted: a plain
        http:// endpoint on anything but this machine (the simulator on loopback is fine)."""
        if self.demo:
            return None
        hosts = []
        for url in (self.endpoint, self.drs_endpoint, self.sms_endpoint, self.iam_endpoint):
            if not url:
                continue
            parts = urllib.parse.urlsplit(url)
            if parts.scheme.lower() == "http" and not _is_loopback(parts.hostname or ""):
                hosts.append(parts.hostname or "")
        if not hosts:
            return None
        return (f"WARNING: plain HTTP to {', '.join(sorted(set(hosts)))}: credentials and data "
                "cross the network unencrypted; use https://")

    def service_endpoint(self, service: str) -> str | None:
        """Override URL for "drs", "sms" or "iam", or None to derive it from the region."""
        return getattr(self, f"{service}_endpoint") or self.endpoint

    def secret_values(self) -> tuple[str, ...]:
        """The secrets in these settings, e.g. for tests that grep outputs for leaks."""
        return tuple(v for v in (getattr(self, k) for k in SECRET_KEYS) if v)

    def redacted(self) -> dict[str, object]:
        """All settings as plain values, secrets replaced by "***" and the AK shortened."""
        out: dict[str, object] = {}
        for name in self.__dataclass_fields__:
            if name == "origins":
                continue
            value = getattr(self, name)
            if name == "ak" and value:
                value = value[:4] + "***"
            elif name in SECRET_KEYS and value:
                value = "***"
            out[name] = str(value) if isinstance(value, Path) else value
        return out

    def describe(self) -> str:
        """Multi-line `key = value  (source)` listing, safe to print or log."""
        lines = []
        for name, value in self.redacted().items():
            origin = self.origins.get(name)
            lines.append(f"{name} = {value!r}" + (f"  ({origin})" if origin else ""))
        return "\n".join(lines)

    def _where(self) -> str:
        return f"profile {self.profile}: " if self.profile else ""
