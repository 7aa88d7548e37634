"""drstui.cli: flags, settings resolution, delegation to the app/simulator/headless, exit codes."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import types
from pathlib import Path

import certifi  # an httpx dependency: a real CA bundle
import pytest

from drstui import __version__, cli
from drstui.cli import build_parser, main, resolve_settings
from drstui.config import ConfigError
from drstui.logs import clear_secrets, shutdown_logging

SK = "sk-SECRET-9f8e7d6c5b4a"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No real config, env credentials or log dir; an empty private config file instead."""
    for name in list(os.environ):
        if name.startswith(("DRSTUI_", "HUAWEICLOUD_SDK_")):
            monkeypatch.delenv(name)
    config = tmp_path / "config.toml"
    config.write_text("")
    monkeypatch.setenv("DRSTUI_CONFIG", str(config))
    monkeypatch.setenv("DRSTUI_LOG_FILE", str(tmp_path / "drstui.log"))
    clear_secrets()
    yield
    shutdown_logging()
    clear_secrets()


@pytest.fixture
def fake_module(monkeypatch):
    """Install a stand-in module whose functions record their calls."""
    calls: list[tuple[str, tuple]] = []

    def install(name: str, **functions):
        module = types.ModuleType(name)
        for fname, result in functions.items():
            def record(*args, _f=fname, _r=result):
                calls.append((_f, args))
                return _r(*args) if callable(_r) else _r
            setattr(module, fname, record)
        monkeypatch.setitem(sys.modules, name, module)
        return module

    install.calls = calls
    return install


def write_config(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    path.chmod(mode)
    return path


def one_line_error(capsys) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


# --- parsing and settings ----------------------------------------------------------------

def test_monitor_flags_resolve_into_settings(tmp_path):
    args = build_parser().parse_args([
        "--endpoint", "http://127.0.0.1:8080", "--region", "cn-north-4", "--project-id", "p1",
        "--refresh", "15", "--read-only", "--download-dir", str(tmp_path), "--language",
        "zh-cn", "--bell", "--log-file", str(tmp_path / "x.log"), "--seed", "3",
        "--jobs", "50", "--demo", "--ca-bundle", certifi.where(),
    ])
    settings = resolve_settings(args, environ={})
    assert args.command is None
    assert settings.endpoint == "http://127.0.0.1:8080"
    assert (settings.region, settings.project_id, settings.refresh) == ("cn-north-4", "p1", 15.0)
    assert settings.read_only and settings.bell and settings.demo
    assert settings.download_dir == tmp_path and settings.log_file == tmp_path / "x.log"
    assert (settings.language, settings.seed, settings.jobs) == ("zh-cn", 3, 50)
    assert settings.ca_bundle == Path(certifi.where())
    assert settings.verify_tls is True


def test_absent_flags_do_not_override_config_or_env(tmp_path):
    path = write_config(tmp_path, '[profiles.p]\nread_only = true\nrefresh = 30\n')
    args = build_parser().parse_args(["--config", str(path)])
    settings = resolve_settings(args, environ={"DRSTUI_BELL": "true"})
    assert settings.read_only and settings.refresh == 30.0 and settings.bell
    args = build_parser().parse_args(["--config", str(path), "--no-read-only", "--no-bell"])
    settings = resolve_settings(args, environ={"DRSTUI_BELL": "true"})
    assert not settings.read_only and not settings.bell


def test_precedence_file_env_flags(tmp_path):
    path = write_config(tmp_path, '[profiles.p]\nregion = "cn-north-1"\nrefresh = 30\n'
                                  'project_id = "fromfile"\n')
    env = {"DRSTUI_REGION": "cn-east-3", "HUAWEICLOUD_SDK_PROJECT_ID": "fromenv"}
    args = build_parser().parse_args(["--config", str(path), "--region", "ap-southeast-1"])
    settings = resolve_settings(args, environ=env)
    assert (settings.region, settings.project_id, settings.refresh) == (
        "ap-southeast-1", "fromenv", 30.0)


def test_profile_and_config_flags(tmp_path):
    path = write_config(tmp_path, '[profiles.a]\nrefresh = 11\n[profiles.b]\nrefresh = 22\n')
    args = build_parser().parse_args(["--config", str(path), "--profile", "b"])
    assert resolve_settings(args, environ={}).refresh == 22.0


def test_common_flags_work_before_and_after_the_subcommand():
    parser = build_parser()
    args = parser.parse_args(["--region", "cn-north-4", "snapshot", "--json", "--demo"])
    assert (args.command, args.region, args.json, args.demo) == (
        "snapshot", "cn-north-4", True, True)
    args = parser.parse_args(["watch", "--region", "cn-east-3", "--job", "j1", "j2",
                              "--job", "j3", "--timeout", "30m"])
    assert (args.region, args.job_ids, args.watch_timeout, args.until) == (
        "cn-east-3", ["j1", "j2", "j3"], 1800.0, "consistent")
    args = parser.parse_args(["snapshot"])
    assert (args.json, args.job_ids) == (False, [])


def test_insecure_is_recorded_in_settings():
    args = build_parser().parse_args(["--insecure", "--demo"])
    settings = resolve_settings(args, environ={})
    assert settings.verify_tls is False and "OFF" in settings.tls_warning


def test_bad_flag_value_is_a_config_error():
    args = build_parser().parse_args(["--refresh", "fast"])
    with pytest.raises(ConfigError, match=r"^--refresh: must be a number of seconds"):
        resolve_settings(args, environ={})


def test_one_refresh_range_in_the_help_the_check_and_the_keys():
    from drstui.ui.polling import MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS

    assert (MIN_REFRESH_SECONDS, MAX_REFRESH_SECONDS) == (1.0, 300.0)  # what + and - step through
    assert "1 s to 5 min" in build_parser().format_help()
    for outside in ("0.5", "301", "1h"):
        with pytest.raises(ConfigError, match="between 1 and 300"):
            resolve_settings(build_parser().parse_args(["--refresh", outside]), environ={})
    assert resolve_settings(build_parser().parse_args(["--refresh", "5m"]), environ={}).refresh == 300.0


@pytest.mark.parametrize("text, seconds", [("30m", 1800.0), ("90s", 90.0), ("1h", 3600.0),
                                           ("45", 45.0)])
def test_watch_timeout_durations(text, seconds):
    assert build_parser().parse_args(["watch", "--timeout", text]).watch_timeout == seconds


# --- main: exit status 2 with one clear line ---------------------------------------------

@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--bogus"], "drstui: unrecognized arguments: --bogus (see 'drstui --help')"),
        (["--refresh", "fast", "--demo"],
         'drstui: --refresh: must be a number of seconds between 1 and 300, got "fast"'),
        (["--seed", "x"], "drstui: argument --seed: must be a whole number from 0 to"),
        (["--jobs", "0"], "drstui: argument --jobs: must be a whole number from 1 to 10000"),
        (["--endpoint", "ftp://x", "--demo"], "drstui: --endpoint: must be an http(s) URL"),
        (["watch", "--timeout", "soon"],
         'drstui watch: argument --timeout: invalid duration "soon": use e.g. 90s, 30m, 1h'),
        (["watch", "--until", "done"], "drstui watch: argument --until: invalid choice: 'done'"),
        (["snapshot", "--job"], "drstui snapshot: argument --job: expected at least one"),
        # No abbreviations: --jo is neither --job (the cutover set) nor --jobs (demo size).
        (["--jo=x"], "drstui: unrecognized arguments: --jo=x"),
        (["--job", "bad id!", "--demo"], "drstui: --job: must be a list of DRS job ids"),
        (["--demo", "sim"], "drstui: put 'sim' first"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, argv, expected):
    assert main(argv) == 2
    assert one_line_error(capsys).startswith(expected)


@pytest.mark.parametrize("argv, first, missing", [
    ([], "drstui: cannot connect yet; missing:", ("region", "credentials")),
    (["--region", "cn-north-4"], "drstui: cannot connect yet; missing:", ("credentials",)),
])
def test_missing_settings_exit_2_listing_all_of_them(capsys, argv, first, missing):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out == "" and "Traceback" not in err and lines[0] == first
    assert [line.split()[0] for line in lines[1:1 + len(missing)]] == list(missing)


def test_bad_config_file_exits_2_naming_file_and_key(tmp_path, capsys):
    path = write_config(tmp_path, '[profiles.prod]\nrefresh = "fast"\n')
    assert main(["--config", str(path), "--demo"]) == 2
    assert one_line_error(capsys) == (
        f'drstui: {path}: profiles.prod.refresh: must be a number of seconds between 1 and '
        '300, got "fast"')


def test_toml_syntax_error_exits_2(tmp_path, capsys):
    write_config(tmp_path, "[profiles.prod\n")
    assert main(["--demo"]) == 2
    line = one_line_error(capsys)
    assert "invalid TOML" in line and "line 1" in line


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_world_readable_secret_file_exits_2_with_the_chmod_fix(tmp_path, capsys):
    path = write_config(tmp_path, f'[profiles.prod]\nak = "AK1"\nsk = "{SK}"\n', mode=0o644)
    assert main(["--demo"]) == 2
    line = one_line_error(capsys)
    assert line.endswith(f"fix with: chmod 600 {path}") and SK not in line


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"drstui {__version__}"
    assert main(["--help"]) == 0
    assert "snapshot" in capsys.readouterr().out


# --- main: delegation --------------------------------------------------------------------

def test_monitor_gets_the_settings(fake_module, capsys):
    fake_module("drstui.wiring", run_monitor=0)
    assert main(["--demo", "--seed", "4"]) == 0
    (name, (settings,)), = fake_module.calls
    assert name == "run_monitor" and settings.demo and settings.seed == 4
    assert capsys.readouterr().err == ""


def test_monitor_exit_status_is_passed_on(fake_module):
    fake_module("drstui.wiring", run_monitor=3)
    assert main(["--demo"]) == 3


def test_insecure_prints_a_warning_and_tells_the_app(fake_module, capsys):
    fake_module("drstui.wiring", run_monitor=0)
    assert main(["--demo", "--insecure"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("drstui: WARNING: TLS certificate verification is OFF")
    (_, (settings,)), = fake_module.calls
    assert settings.verify_tls is False and settings.tls_warning


def test_verify_tls_false_in_the_file_also_warns(tmp_path, fake_module, capsys):
    write_config(tmp_path, "[profiles.p]\nverify_tls = false\n")
    fake_module("drstui.wiring", run_monitor=0)
    assert main(["--demo"]) == 0
    assert "TLS certificate verification is OFF" in capsys.readouterr().err


def test_real_connection_with_credentials_reaches_the_app(fake_module, monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AK1")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    fake_module("drstui.wiring", run_monitor=0)
    assert main(["--region", "cn-north-4"]) == 0
    (_, (settings,)), = fake_module.calls
    assert settings.auth_method == "aksk" and not settings.demo


def test_sim_gets_the_rest_of_argv_unchanged(fake_module):
    fake_module("drstui.sim.cli", main=0)
    argv = ["--port", "0", "--seed", "3", "--help", "--region", "bad value"]
    assert main(["sim", *argv]) == 0
    assert fake_module.calls == [("main", (argv,))]


def test_sim_exit_status_is_passed_on(fake_module):
    fake_module("drstui.sim.cli", main=5)
    assert main(["sim"]) == 5


def test_snapshot_and_watch_delegate_to_headless(fake_module):
    fake_module("drstui.headless", snapshot_command=1, watch_command=0)
    assert main(["snapshot", "--json", "--job", "j1", "--demo"]) == 1
    assert main(["watch", "--until", "consistent", "--timeout", "90s", "--demo"]) == 0
    (snap, (s1, a1)), (watch, (s2, a2)) = fake_module.calls
    assert snap == "snapshot_command" and a1.json and a1.job_ids == ["j1"] and s1.demo
    assert watch == "watch_command" and a2.watch_timeout == 90.0 and a2.until == "consistent"


def test_missing_module_is_one_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "drstui.headless", None)  # import fails
    assert main(["snapshot", "--demo"]) == 1
    assert one_line_error(capsys) == "drstui: drstui.headless is not available in this installation"


def test_crash_in_the_app_is_one_redacted_line_and_logged(fake_module, monkeypatch, tmp_path,
                                                          capsys):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AK1")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)

    def crash(settings):
        raise RuntimeError(f"signing failed with {settings.sk}")

    fake_module("drstui.wiring", run_monitor=crash)
    assert main(["--region", "cn-north-4"]) == 1
    line = one_line_error(capsys)
    prefix = ("drstui: internal error: RuntimeError: signing failed with *** "
              "(a redacted crash report is in ")
    assert line.startswith(prefix) and line.endswith(".txt)")
    report = Path(line[len(prefix):-1])
    assert report.parent == tmp_path and oct(report.stat().st_mode & 0o777) == "0o600"
    report_text = report.read_text()
    assert "Traceback" in report_text and SK not in report_text
    shutdown_logging()
    log_text = (tmp_path / "drstui.log").read_text()
    assert "Traceback" in log_text and "signing failed with ***" in log_text
    assert SK not in log_text


def test_config_error_raised_by_the_app_exits_2(fake_module, capsys):
    def refuse(settings):
        raise ConfigError("no project id for region cn-north-4")

    fake_module("drstui.wiring", run_monitor=refuse)
    assert main(["--demo"]) == 2
    assert one_line_error(capsys) == "drstui: no project id for region cn-north-4"


def test_keyboard_interrupt_exits_130(fake_module):
    def interrupt(settings):
        raise KeyboardInterrupt

    fake_module("drstui.wiring", run_monitor=interrupt)
    assert main(["--demo"]) == 130


def test_startup_is_logged_without_secrets(fake_module, monkeypatch, tmp_path):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AK1")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    fake_module("drstui.wiring", run_monitor=0)
    main(["--region", "cn-north-4"])
    shutdown_logging()
    text = (tmp_path / "drstui.log").read_text()
    assert "starting" in text and "cn-north-4" in text and SK not in text


@pytest.mark.parametrize("flags, level", [([], logging.INFO), (["--log-level", "debug"], logging.DEBUG)])
def test_the_log_level_flag_sets_what_the_log_keeps(fake_module, monkeypatch, tmp_path, flags, level):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AK1")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    fake_module("drstui.wiring", run_monitor=0)
    before = logging.getLogger().level
    try:
        main(["--region", "cn-north-4", *flags])
        assert logging.getLogger().level == level
    finally:
        shutdown_logging()
        logging.getLogger().setLevel(before)


def test_python_dash_m_drstui(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DRSTUI_", "HUAWEICLOUD_SDK_"))}
    result = subprocess.run([sys.executable, "-m", "drstui", "--version"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == f"drstui {__version__}"
    result = subprocess.run([sys.executable, "-m", "drstui", "--refresh", "0", "--demo",
                             "--config", str(tmp_path / "none.toml")], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"drstui: {tmp_path / 'none.toml'}: config file not found"


def test_every_config_flag_maps_to_a_key():
    assert set(cli._FLAG_KEYS) == {"region", "project_id", "endpoint", "refresh",
                                   "download_dir", "read_only", "language", "ca_bundle",
                                   "bell", "log_file", "log_level", "max_lag", "stable_for",
                                   "max_compare_age"}


# --- bad input: one clear line, exit 2, never a traceback --------------------------------

@pytest.mark.parametrize("variable, value", [
    ("HUAWEICLOUD_SDK_SK", "\udcff\udcfesecret-key"),  # bytes 0xff 0xfe: not UTF-8
    ("DRSTUI_PASSWORD", "pass\udcffword"),
])
def test_secrets_that_are_not_utf8_are_a_config_error(monkeypatch, capsys, variable, value):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AKIDEXAMPLE")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "secret-key")
    monkeypatch.setenv("DRSTUI_USER", "u")
    monkeypatch.setenv("DRSTUI_DOMAIN", "d")
    monkeypatch.setenv(variable, value)
    status = main(["--region", "cn-north-4", "--project-id", "abc", "snapshot"])
    line = one_line_error(capsys)
    assert status == 2
    assert line == f"drstui: environment variable {variable}: is not valid UTF-8 text, got a hidden string"


def test_an_unknown_region_is_a_config_error(monkeypatch, capsys):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AKIDEXAMPLE")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "secret-key")
    status = main(["--region", "xx-nowhere-9", "--project-id", "abc", "snapshot"])
    line = one_line_error(capsys)
    assert status == 2
    assert line.startswith("drstui: unknown DRS region 'xx-nowhere-9': set an endpoint override")
    assert "internal error" not in line


def test_a_ca_bundle_without_certificates_is_a_config_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AKIDEXAMPLE")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "secret-key")
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate\n")
    status = main(["--region", "cn-north-4", "--ca-bundle", str(bundle), "snapshot"])
    line = one_line_error(capsys)
    assert status == 2
    assert "--ca-bundle: must be a PEM file of CA certificates" in line


@pytest.mark.parametrize("endpoint", ["https://xn--a.example", "https://\u0300abc.example",
                                      "https://xn--zz-xyz.example"])
def test_an_endpoint_that_is_not_a_valid_domain_name_is_a_config_error(monkeypatch, capsys, endpoint):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AKIDEXAMPLE")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "secret-key")
    status = main(["--region", "cn-north-4", "--endpoint", endpoint, "snapshot"])
    line = one_line_error(capsys)
    assert status == 2
    assert "--endpoint: has a host name that is not a valid (internationalised) domain name" in line


def test_an_internationalised_endpoint_is_accepted():
    settings = resolve_settings(build_parser().parse_args(
        ["--region", "cn-north-4", "--endpoint", "https://b\u00fccher.example"]))
    assert settings.endpoint == "https://b\u00fccher.example"
