"""Load drstui settings: the TOML profile file, then environment variables, then CLI flags.

File format (`platformdirs.user_config_dir("drstui")/config.toml`, or `--config` /
`DRSTUI_CONFIG`)::

    default_profile = "prod"
    default_view = "cutover"      # optional: watch several scopes together by default

    [profiles.prod]
    region = "cn-north-4"
    ak = "..."
    sk = "..."          # a secret: the file must then be chmod 600

    [views.cutover]
    profiles = ["prod", "dr"]     # each profile keeps its own region, project, endpoints, auth

The keys and their checks are in `drstui.config_schema`. Every problem becomes one
`ConfigError` line naming the file (or variable, or flag), the key and what is wrong.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shlex
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

import platformdirs

from drstui.config_schema import (
    KEYS,
    SECRET_KEYS,
    ConfigError,
    Settings,
    check_value,
    parse_duration,
)
from drstui.logs import register_secret

__all__ = [
    "ConfigError",
    "Settings",
    "config_file_path",
    "default_config_path",
    "file_problems",
    "load_scopes",
    "load_settings",
    "parse_duration",
]

CONFIG_ENV = "DRSTUI_CONFIG"
PROFILE_ENV = "DRSTUI_PROFILE"
_TOP_LEVEL_KEYS = ("default_profile", "profiles", "default_view", "views")
_VIEW_KEYS = ("profiles",)


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir("drstui")) / "config.toml"


@dataclass(frozen=True)
class _Entry:
    """One raw value from one layer, with the label used in errors and `describe()`."""

    key: str
    value: object
    where: str


def load_settings(
    *,
    config_path: str | Path | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] = os.environ,
    flags: Mapping[str, object] | None = None,
    demo: bool = False,
    seed: int | None = None,
    jobs: int | None = None,
) -> Settings:
    """Resolve Settings from file < environment < flags (`flags` maps key name -> raw value)."""
    path, explicit = _choose_config_path(config_path, environ)
    document = _read_config(path, explicit)  # None: no file
    requested = profile or environ.get(PROFILE_ENV) or None
    name = _select_profile(document, path, requested, demo)
    table = document["profiles"][name] if name else {}

    entries = [*_file_entries(path, name, table), *_env_entries(environ),
               *_flag_entries(flags or {})]
    return _build(entries, profile=name, config_path=path if document is not None else None,
                  demo=demo, seed=seed, jobs=jobs)


def load_scopes(
    *,
    config_path: str | Path | None = None,
    profiles: Sequence[str] = (),
    view: str | None = None,
    environ: Mapping[str, str] = os.environ,
    flags: Mapping[str, object] | None = None,
    demo: bool = False,
    seed: int | None = None,
    jobs: int | None = None,
) -> Settings:
    """Settings of every scope to watch together; the first one, with the others in
    `more_scopes`. The profiles are: repeated `--profile`, else the `--view` (or the file's
    `default_view`) named in `[views.NAME] profiles = [...]`, else the one profile as in
    `load_settings`. Flags and environment apply to every scope.

    In demo mode no profile need exist: each name labels one simulated region."""
    path, explicit = _choose_config_path(config_path, environ)
    names = list(dict.fromkeys(profiles))
    document: dict | None = None
    if not names:
        document = _read_config(path, explicit)
        chosen = view or (document or {}).get("default_view")
        if view and document is None:
            raise ConfigError(f"{display_path(path)}: view {json.dumps(view)} requested, "
                              "but there is no config file")
        if chosen and not (view is None and environ.get(PROFILE_ENV)):
            names = _view_profiles(document or {}, path, chosen)
    options = dict(config_path=config_path, environ=environ, flags=flags, demo=demo, seed=seed, jobs=jobs)
    if len(names) <= 1:
        return load_settings(profile=names[0] if names else None, **options)  # type: ignore[arg-type]
    found = [_load_one(name, path, explicit, options) for name in names]
    _refuse_duplicates(found)
    return replace(found[0], more_scopes=tuple(found[1:]), view=view)


def _load_one(name: str, path: Path, explicit: bool, options: dict[str, object]) -> Settings:
    if options["demo"]:
        document = _read_config(path, explicit)
        if document is None or name not in document.get("profiles", {}):
            return replace(load_settings(**options), profile=name)  # type: ignore[arg-type]
    return load_settings(profile=name, **options)  # type: ignore[arg-type]


def _refuse_duplicates(found: Sequence[Settings]) -> None:
    if any(s.demo for s in found):
        return  # each demo scope gets its own simulated region
    seen: dict[tuple[str | None, str | None, str | None], str | None] = {}
    for settings in found:
        where = (settings.region, settings.project_id, settings.endpoint)
        if where in seen:
            raise ConfigError(f"profiles {json.dumps(seen[where])} and {json.dumps(settings.profile)} "
                              "watch the same region and project (a flag such as --region or "
                              "--project-id applies to every profile)")
        seen[where] = settings.profile


def _view_profiles(document: dict, path: Path, name: str) -> list[str]:
    shown = display_path(path)
    views = document.get("views", {})
    if name not in views:
        known = ", ".join(sorted(views)) or "none"
        where = "default_view" if document.get("default_view") == name else "view"
        raise ConfigError(f"{shown}: {where}: no view named {json.dumps(name)} (views: {known})")
    return list(views[name]["profiles"])


def _build(entries: Iterable[_Entry], **context: object) -> Settings:
    """Check every entry (later ones win) and make the Settings."""
    values: dict[str, object] = {}
    origins: dict[str, str] = {}
    for entry in entries:
        key = KEYS[entry.key]
        if key.secret and isinstance(entry.value, str):
            register_secret(entry.value)  # before checking, so no error can echo it
        values[entry.key] = check_value(key, entry.value, entry.where)
        origins[entry.key] = entry.where
    origins_view = MappingProxyType(origins)
    return Settings(**values, **context, origins=origins_view)  # type: ignore[arg-type]


# --- the file ----------------------------------------------------------------------------


def display_path(path: Path) -> str:
    """`path` with the home directory shown as ~, as users write it."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except (ValueError, RuntimeError):
        return str(path)


def config_file_path(config_path: str | Path | None = None,
                     environ: Mapping[str, str] = os.environ) -> Path:
    """The file drstui reads: `--config`, else DRSTUI_CONFIG, else the platform config dir."""
    return _choose_config_path(config_path, environ)[0]


def _choose_config_path(config_path: str | Path | None, environ: Mapping[str, str]
                        ) -> tuple[Path, bool]:
    given = config_path or environ.get(CONFIG_ENV)
    if given:
        return Path(given).expanduser(), True
    return default_config_path(), False


def _read_config(path: Path, explicit: bool) -> dict | None:
    """The parsed TOML document; None when the default file does not exist."""
    document = _parse(path, explicit)
    if document is None:
        return None
    _check_structure(document, display_path(path))
    _check_private(path, document)
    _check_untampered(path)
    return document


def _parse(path: Path, explicit: bool) -> dict | None:
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"{shown}: config file not found") from None
        return None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read the config file: {exc.strerror}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: not a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None


def file_problems(path: Path) -> tuple[dict | None, list[str]]:
    """The document and every problem of the config file at `path` (the loader stops at the
    first): each unknown key and each bad value, then what the loader checks as a whole
    (tables, views, defaults, permissions). No document when it cannot be read or parsed."""
    try:
        document = _parse(path, explicit=True)
    except ConfigError as exc:
        return None, [str(exc)]
    assert document is not None
    shown = display_path(path)
    problems = [_unknown_top_level(shown, key) for key in document if key not in _TOP_LEVEL_KEYS]
    profiles = document.get("profiles", {})
    for name, table in profiles.items() if isinstance(profiles, dict) else ():
        if not isinstance(table, dict):
            continue
        for key, value in table.items():
            where = f"{shown}: profiles.{_toml_key(name)}.{_toml_key(key)}"
            if key not in KEYS:
                problems.append(_unknown_key(where, key))
                continue
            if KEYS[key].secret and isinstance(value, str):
                register_secret(value)
            try:
                check_value(KEYS[key], value, f"{shown}: profiles.{_toml_key(name)}.{key}")
            except ConfigError as exc:
                problems.append(str(exc))
    for check in (lambda: _check_structure(document, shown), lambda: _check_private(path, document),
                  lambda: _check_untampered(path)):
        try:
            check()
        except ConfigError as exc:
            if str(exc) not in problems:
                problems.append(str(exc))
    return document, problems


def _check_untampered(path: Path) -> None:
    """Refuse a file someone else owns or may change, as ssh does: it says where credentials
    are sent (`endpoint`), so whoever can write it can collect them."""
    if os.name == "nt":
        return
    shown = display_path(path)
    status = path.stat()
    if status.st_uid not in (os.geteuid(), 0):
        raise ConfigError(
            f"{shown}: owned by another user (uid {status.st_uid}); drstui reads only a config "
            f"file that you (or root) own; fix with: chown {os.geteuid()} {shlex.quote(str(path))}"
        )
    mode = status.st_mode & 0o777
    if mode & 0o022:
        raise ConfigError(
            f"{shown}: group or others may change it (mode {mode:04o}), and it says where "
            f"credentials are sent; fix with: chmod go-w {shlex.quote(str(path))}"
        )


def _check_structure(document: dict, shown: str) -> None:
    for key in document:
        if key not in _TOP_LEVEL_KEYS:
            raise ConfigError(_unknown_top_level(shown, key))
    default = document.get("default_profile")
    if default is not None and not isinstance(default, str):
        raise ConfigError(f"{shown}: default_profile: must be a profile name (a string)")
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{shown}: profiles: must be tables such as [profiles.prod]")
    _check_views(document, shown, profiles)
    for name, table in profiles.items():
        where = f"{shown}: profiles.{_toml_key(name)}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: must be a table ([profiles.{_toml_key(name)}])")
        for key in table:
            if key not in KEYS:
                raise ConfigError(_unknown_key(f"{where}.{_toml_key(key)}", key))


def _unknown_top_level(shown: str, key: str) -> str:
    return (f"{shown}: {_toml_key(key)}: unknown top-level key "
            "(settings go in a [profiles.NAME] table)")


def _unknown_key(where: str, key: str) -> str:
    return f"{where}: unknown key{_did_you_mean(key)}"


def _check_views(document: dict, shown: str, profiles: dict) -> None:
    views = document.get("views", {})
    if not isinstance(views, dict):
        raise ConfigError(f"{shown}: views: must be tables such as [views.cutover]")
    for name, table in views.items():
        where = f"{shown}: views.{_toml_key(name)}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: must be a table ([views.{_toml_key(name)}])")
        for key in table:
            if key not in _VIEW_KEYS:
                raise ConfigError(f"{where}.{_toml_key(key)}: unknown key (a view has: profiles)")
        listed = table.get("profiles")
        if not isinstance(listed, list) or not listed or not all(isinstance(p, str) for p in listed):
            raise ConfigError(f'{where}.profiles: must be a list of profile names, e.g. ["bj4", "sh1"]')
        for profile in listed:
            if isinstance(profiles, dict) and profile not in profiles:
                known = ", ".join(sorted(profiles)) or "none"
                raise ConfigError(f"{where}.profiles: no profile named {json.dumps(profile)} "
                                  f"(profiles: {known})")
    default = document.get("default_view")
    if default is not None and not isinstance(default, str):
        raise ConfigError(f"{shown}: default_view: must be a view name (a string)")
    if default is not None and default not in views:
        known = ", ".join(sorted(views)) or "none"
        raise ConfigError(f"{shown}: default_view: no view named {json.dumps(default)} (views: {known})")


def _check_private(path: Path, document: dict) -> None:
    """Refuse a file holding a secret that group or others can access, as ssh does."""
    holders = [(f"profiles.{_toml_key(name)}.{key}", table[key])
               for name, table in document.get("profiles", {}).items()
               for key in SECRET_KEYS if table.get(key)]
    for _, value in holders:
        register_secret(value if isinstance(value, str) else None)  # even if we refuse
    if not holders or os.name == "nt":
        return
    holder = holders[0][0]
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ConfigError(
            f"{display_path(path)}: holds a secret ({holder}) but is open to group or others "
            f"(mode {mode:04o}); fix with: chmod 600 {shlex.quote(str(path))}"
        )


def _select_profile(document: dict | None, path: Path, requested: str | None, demo: bool
                    ) -> str | None:
    """Flag/DRSTUI_PROFILE, else default_profile, else "default", else the only profile."""
    shown = display_path(path)
    if document is None:
        if requested:
            raise ConfigError(f"{shown}: profile {json.dumps(requested)} requested, "
                              "but there is no config file")
        return None
    profiles = document.get("profiles", {})
    names = ", ".join(sorted(profiles)) or "none"
    if requested:
        if requested not in profiles:
            raise ConfigError(f"{shown}: no profile named {json.dumps(requested)} "
                              f"(profiles: {names})")
        return requested
    default = document.get("default_profile")
    if default is not None:
        if default not in profiles:
            raise ConfigError(f"{shown}: default_profile: no profile named "
                              f"{json.dumps(default)} (profiles: {names})")
        return default
    if "default" in profiles:
        return "default"
    if len(profiles) == 1:
        return next(iter(profiles))
    if profiles and not demo:
        raise ConfigError(f"{shown}: several profiles ({names}) and no default_profile; "
                          "choose one with --profile NAME or DRSTUI_PROFILE")
    return None


def _file_entries(path: Path, name: str | None, table: dict) -> list[_Entry]:
    prefix = f"{display_path(path)}: profiles.{_toml_key(name or '')}"
    return [_Entry(key, value, f"{prefix}.{key}") for key, value in table.items()]


# --- environment and flags ---------------------------------------------------------------


def _env_entries(environ: Mapping[str, str]) -> list[_Entry]:
    # An empty variable counts as unset, as in most shells' `VAR= cmd` idiom.
    return [_Entry(key.name, environ[key.env], f"environment variable {key.env}")
            for key in KEYS.values() if environ.get(key.env)]


def _flag_entries(flags: Mapping[str, object]) -> list[_Entry]:
    entries = []
    for name, value in flags.items():
        key = KEYS[name]
        entries.append(_Entry(name, value, key.flag or "--" + name.replace("_", "-")))
    return entries


# --- wording helpers ---------------------------------------------------------------------


def _toml_key(name: str) -> str:
    """A key as TOML would write it: bare when possible, quoted otherwise."""
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def _did_you_mean(key: str) -> str:
    close = difflib.get_close_matches(key, list(KEYS), n=1)
    if close:
        return f'; did you mean "{close[0]}"?'
    return f" (known keys: {', '.join(KEYS)})"
