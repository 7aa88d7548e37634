"""drstui.config: the TOML profile file, env/flag precedence, value checks, file permissions."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import certifi
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from drstui import config
from drstui.config import ConfigError, Settings, load_settings, parse_duration
from drstui.config_schema import KEYS, default_download_dir
from drstui.logs import clear_secrets, default_log_file, redact

SK = "sk-SECRET-9f8e7d6c5b4a"
PASSWORD = "hunter2-Pa$$word"
TOKEN = "MIIstsTOKEN-abcdef123456"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    # Never read the real ~/.config/drstui.
    monkeypatch.setattr(config, "default_config_path", lambda: tmp_path / "absent" / "c.toml")
    clear_secrets()
    yield
    clear_secrets()


def write(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def load(path: Path | None = None, env: dict | None = None, **kw) -> Settings:
    return load_settings(config_path=path, environ=env or {}, **kw)


def error_of(path: Path | None = None, env: dict | None = None, **kw) -> str:
    with pytest.raises(ConfigError) as info:
        load(path, env, **kw)
    message = str(info.value)
    assert "\n" not in message, "a config error must be one line"
    return message


# --- each documented key ----------------------------------------------------------------

CA = Path(certifi.where())  # a real CA bundle (certifi comes with httpx)


@pytest.mark.parametrize(
    "key, toml_value, expected",
    [
        ("region", '"cn-north-4"', "cn-north-4"),
        ("region", '"CN-NORTH-4"', "cn-north-4"),
        ("project_id", '"0a1b2c3d4e5f60718293a4b5c6d7e8f9"', "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        ("auth", '"aksk"', "aksk"),
        ("auth", '"token"', "token"),
        ("ak", '"AKIDEXAMPLE123"', "AKIDEXAMPLE123"),
        ("sk", json.dumps(SK), SK),
        ("security_token", json.dumps(TOKEN), TOKEN),
        ("user", '"alice"', "alice"),
        ("password", json.dumps(" " + PASSWORD), " " + PASSWORD),  # kept exactly
        ("domain", '"acme-cloud"', "acme-cloud"),
        ("endpoint", '"http://127.0.0.1:8080/"', "http://127.0.0.1:8080"),
        ("endpoint", '"drs.example.com"', "https://drs.example.com"),
        ("drs_endpoint", '"https://drs.cn-north-4.myhuaweicloud.com"',
         "https://drs.cn-north-4.myhuaweicloud.com"),
        ("sms_endpoint", '"https://sms.cn-north-4.myhuaweicloud.com"',
         "https://sms.cn-north-4.myhuaweicloud.com"),
        ("iam_endpoint", '"https://iam.cn-north-4.myhuaweicloud.com"',
         "https://iam.cn-north-4.myhuaweicloud.com"),
        ("refresh", "10", 10.0),
        ("refresh", "2.5", 2.5),
        ("refresh", '"1m"', 60.0),
        ("download_dir", '"/srv/exports"', Path("/srv/exports")),
        ("download_dir", '"~/exports"', Path("~/exports").expanduser()),
        ("read_only", "true", True),
        ("language", '"zh-cn"', "zh-cn"),
        ("language", '"EN_US"', "en-us"),
        ("verify_tls", "false", False),
        ("ca_bundle", json.dumps(str(CA)), CA),
        ("timeout", "45", 45.0),
        ("bell", "true", True),
        ("log_file", '"/var/tmp/drstui.log"', Path("/var/tmp/drstui.log")),
        ("log_level", '"debug"', "debug"),
        ("cutover_jobs", '["job-a", "job-b", "job-a"]', ("job-a", "job-b")),
        ("max_lag", "10", 10.0),
        ("max_lag", '"30s"', 30.0),
        ("stable_for", '"5m"', 300.0),
        ("max_compare_age", '"2h"', 7200.0),
        ("max_answer_mb", "64", 64.0),
        ("max_download_mb", '"2048"', 2048.0),
        ("max_requests_per_minute", "1200", 1200.0),
        ("call_deadline", '"2m"', 120.0),
        ("download_deadline", "3600", 3600.0),
    ],
)
def test_each_key_from_the_file(tmp_path, key, toml_value, expected):
    path = write(tmp_path, f"[profiles.prod]\n{key} = {toml_value}\n")
    settings = load(path)
    assert getattr(settings, key) == expected
    assert settings.profile == "prod"
    assert settings.config_path == path
    assert settings.origins[key].endswith(f"profiles.prod.{key}")


def test_every_key_is_covered_above():
    documented = {"region", "project_id", "auth", "ak", "sk", "security_token", "user",
                  "password", "domain", "endpoint", "drs_endpoint", "sms_endpoint",
                  "iam_endpoint", "refresh", "download_dir", "read_only", "language",
                  "verify_tls", "ca_bundle", "timeout", "bell", "log_file", "log_level", "max_answer_mb",
                  "max_download_mb", "call_deadline", "download_deadline", "cutover_jobs",
                  "max_lag", "stable_for", "max_compare_age", "max_requests_per_minute"}
    assert set(KEYS) == documented


def test_defaults_without_any_file_env_or_flag():
    settings = load()
    assert settings.config_path is None and settings.profile is None
    assert settings.refresh == 5.0
    assert settings.timeout == 30.0
    assert settings.verify_tls is True and settings.read_only is False and settings.bell is False
    assert settings.language == "en-us"
    assert settings.download_dir == default_download_dir()
    assert settings.download_dir.name == "drstui"
    assert settings.log_file == default_log_file()
    assert settings.tls_warning is None


# --- precedence: file < env < flags ------------------------------------------------------

def test_precedence_file_then_env_then_flags(tmp_path):
    path = write(tmp_path, '[profiles.p]\nregion = "cn-north-1"\nrefresh = 30\n'
                           'project_id = "fileproject"\nread_only = true\n')
    from_file = load(path)
    assert (from_file.region, from_file.refresh, from_file.project_id) == (
        "cn-north-1", 30.0, "fileproject")

    env = {"DRSTUI_REGION": "cn-east-3", "DRSTUI_REFRESH": "20",
           "HUAWEICLOUD_SDK_PROJECT_ID": "envproject"}
    from_env = load(path, env)
    assert (from_env.region, from_env.refresh, from_env.project_id) == (
        "cn-east-3", 20.0, "envproject")
    assert from_env.origins["region"] == "environment variable DRSTUI_REGION"

    from_flags = load(path, env, flags={"region": "ap-southeast-1", "refresh": "7",
                                        "read_only": False})
    assert (from_flags.region, from_flags.refresh, from_flags.project_id) == (
        "ap-southeast-1", 7.0, "envproject")
    assert from_flags.read_only is False
    assert from_flags.origins["refresh"] == "--refresh"


def test_sdk_environment_names():
    env = {"HUAWEICLOUD_SDK_AK": "AKENV", "HUAWEICLOUD_SDK_SK": SK,
           "HUAWEICLOUD_SDK_PROJECT_ID": "proj1", "HUAWEICLOUD_SDK_SECURITY_TOKEN": TOKEN,
           "DRSTUI_REGION": "cn-north-4"}
    settings = load(env=env)
    assert (settings.ak, settings.sk, settings.project_id, settings.security_token) == (
        "AKENV", SK, "proj1", TOKEN)
    assert settings.auth_method == "aksk"


@pytest.mark.parametrize(
    "var, value, key, expected",
    [
        ("DRSTUI_ENDPOINT", "http://localhost:9000", "endpoint", "http://localhost:9000"),
        ("DRSTUI_USER", "bob", "user", "bob"),
        ("DRSTUI_PASSWORD", PASSWORD, "password", PASSWORD),
        ("DRSTUI_DOMAIN", "acme", "domain", "acme"),
        ("DRSTUI_REFRESH", "90s", "refresh", 90.0),
        ("DRSTUI_DOWNLOAD_DIR", "/tmp/dl", "download_dir", Path("/tmp/dl")),
        ("DRSTUI_READ_ONLY", "yes", "read_only", True),
        ("DRSTUI_READ_ONLY", "0", "read_only", False),
        ("DRSTUI_LANGUAGE", "zh-cn", "language", "zh-cn"),
        ("DRSTUI_VERIFY_TLS", "false", "verify_tls", False),
        ("DRSTUI_TIMEOUT", "2m", "timeout", 120.0),
        ("DRSTUI_BELL", "on", "bell", True),
        ("DRSTUI_AUTH", "token", "auth", "token"),
        ("DRSTUI_SMS_ENDPOINT", "sms.local", "sms_endpoint", "https://sms.local"),
    ],
)
def test_drstui_environment_variables(var, value, key, expected):
    assert getattr(load(env={var: value}), key) == expected


def test_empty_environment_variable_counts_as_unset(tmp_path):
    path = write(tmp_path, '[profiles.p]\nregion = "cn-north-1"\n')
    assert load(path, {"DRSTUI_REGION": ""}).region == "cn-north-1"


def test_config_path_and_profile_from_environment(tmp_path):
    path = write(tmp_path, '[profiles.a]\nrefresh = 11\n[profiles.b]\nrefresh = 22\n')
    settings = load(None, {"DRSTUI_CONFIG": str(path), "DRSTUI_PROFILE": "b"})
    assert settings.profile == "b" and settings.refresh == 22.0
    # The flag beats the variable.
    assert load(None, {"DRSTUI_CONFIG": str(path), "DRSTUI_PROFILE": "b"},
                profile="a").refresh == 11.0


# --- profile selection -------------------------------------------------------------------

def test_default_profile_is_used(tmp_path):
    path = write(tmp_path, 'default_profile = "b"\n[profiles.a]\nrefresh = 11\n'
                           '[profiles.b]\nrefresh = 22\n')
    assert load(path).profile == "b"
    assert load(path, profile="a").refresh == 11.0


def test_profile_named_default_or_the_only_one(tmp_path):
    path = write(tmp_path, '[profiles.x]\nrefresh = 11\n[profiles.default]\nrefresh = 22\n')
    assert load(path).profile == "default"
    path = write(tmp_path, '[profiles.only]\nrefresh = 11\n')
    assert load(path).profile == "only"


def test_several_profiles_without_default_is_an_error_except_in_demo(tmp_path):
    path = write(tmp_path, '[profiles.a]\nrefresh = 11\n[profiles.b]\nrefresh = 22\n')
    message = error_of(path)
    assert "several profiles (a, b)" in message and "--profile" in message
    assert load(path, demo=True).profile is None


def test_unknown_profile_lists_the_known_ones(tmp_path):
    path = write(tmp_path, '[profiles.a]\n[profiles.b]\n')
    assert error_of(path, profile="prod") == (
        f'{path}: no profile named "prod" (profiles: a, b)')
    path = write(tmp_path, 'default_profile = "prod"\n[profiles.a]\n')
    assert error_of(path) == f'{path}: default_profile: no profile named "prod" (profiles: a)'


def test_missing_default_file_is_fine_but_a_named_one_is_not(tmp_path):
    assert load().config_path is None
    missing = tmp_path / "nope.toml"
    assert error_of(missing) == f"{missing}: config file not found"
    assert "requested, but there is no config file" in error_of(profile="prod")


def test_home_directory_is_shown_as_tilde(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = write(tmp_path, '[profiles.prod]\nrefresh = "fast"\n')
    assert error_of(path).startswith("~/config.toml: profiles.prod.refresh: ")


# --- bad values: one line naming file, key and problem -----------------------------------

def test_the_documented_example_message(tmp_path):
    path = write(tmp_path, '[profiles.prod]\nrefresh = "fast"\n')
    assert error_of(path) == (
        f'{path}: profiles.prod.refresh: must be a number of seconds between 1 and 300, '
        'got "fast"')


@pytest.mark.parametrize(
    "key, toml_value, problem",
    [
        ("region", '"cn north 4"', "must be a region id such as cn-north-4"),
        ("region", "4", "must be a string, got 4"),
        ("project_id", '"abc def"', "must be a project id"),
        ("auth", '"oauth"', 'must be "aksk" or "token", got "oauth"'),
        ("ak", '"AK WITH SPACE"', "must be an access key id"),
        ("sk", "123", "must be a string, got a hidden integer"),
        ("security_token", '""', "must not be empty, got a hidden string"),
        ("user", "[]", "must be a string, got list"),
        ("password", '"pa\\u0001ss"', "must not contain control characters, got a hidden"),
        ("domain", '"   "', "must not be empty"),
        ("endpoint", '"ftp://x"', "must be an http(s) URL"),
        ("endpoint", '"https://user:pw@host"', "must not contain a user name or password"),
        ("drs_endpoint", '"http://host:99999"', "must be an http(s) URL"),
        ("sms_endpoint", '"https://h/?q=1"', "must not contain a query or fragment"),
        ("iam_endpoint", "true", "must be a string"),
        ("refresh", "0", "between 1 and 300, got 0"),
        ("refresh", "301", "between 1 and 300, got 301"),
        ("refresh", "nan", "between 1 and 300, got nan"),
        ("refresh", "true", "between 1 and 300, got True"),
        ("download_dir", '""', "must not be empty"),
        ("read_only", '"maybe"', 'must be true or false, got "maybe"'),
        ("language", '"fr"', 'must be "en-us" or "zh-cn", got "fr"'),
        ("verify_tls", "1.5", "must be true or false, got 1.5"),
        ("ca_bundle", '"/no/such/ca.pem"', 'must be an existing file, got "/no/such/ca.pem"'),
        ("timeout", '"forever"', "must be a number of seconds between 1 and 600"),
        ("bell", '"loud"', "must be true or false"),
        ("log_file", "{a = 1}", "must be a string, got table"),
    ],
)
def test_bad_value_names_file_key_and_problem(tmp_path, key, toml_value, problem):
    path = write(tmp_path, f"[profiles.prod]\n{key} = {toml_value}\n")
    message = error_of(path)
    assert message.startswith(f"{path}: profiles.prod.{key}: ")
    assert problem in message


def test_bad_environment_and_flag_values_name_their_source():
    assert error_of(env={"DRSTUI_REFRESH": "fast"}) == (
        'environment variable DRSTUI_REFRESH: must be a number of seconds between 1 and 300, '
        'got "fast"')
    assert error_of(env={"HUAWEICLOUD_SDK_PROJECT_ID": "a b"}).startswith(
        "environment variable HUAWEICLOUD_SDK_PROJECT_ID: must be a project id")
    assert error_of(flags={"language": "fr"}).startswith('--language: must be "en-us"')
    assert error_of(flags={"verify_tls": "x"}).startswith("--insecure: ")


def test_bad_secret_values_are_never_echoed(tmp_path):
    path = write(tmp_path, '[profiles.p]\nsk = "has\\ttab-SECRETVALUE"\n')
    message = error_of(path)
    assert "SECRETVALUE" not in message and "hidden string" in message
    message = error_of(env={"DRSTUI_PASSWORD": "bad\x07SECRETVALUE"})
    assert "SECRETVALUE" not in message


def test_toml_syntax_error_gives_the_line(tmp_path):
    path = write(tmp_path, '[profiles.prod]\nregion = "cn-north-4"\nrefresh = = 5\n')
    message = error_of(path)
    assert message.startswith(f"{path}: invalid TOML: ")
    assert "line 3" in message


def test_not_utf8(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'[profiles.p]\nuser = "\xff"\n')
    assert error_of(path) == f"{path}: not a UTF-8 text file"


def test_unknown_keys(tmp_path):
    path = write(tmp_path, '[profiles.prod]\nrefesh = 5\n')
    assert error_of(path) == f'{path}: profiles.prod.refesh: unknown key; did you mean "refresh"?'
    path = write(tmp_path, '[profiles.prod]\nzzz = 5\n')
    assert "profiles.prod.zzz: unknown key (known keys: region, " in error_of(path)
    path = write(tmp_path, 'region = "cn-north-4"\n')
    assert error_of(path) == (
        f"{path}: region: unknown top-level key (settings go in a [profiles.NAME] table)")


def test_wrong_structure(tmp_path):
    path = write(tmp_path, 'profiles = 3\n')
    assert error_of(path) == f"{path}: profiles: must be tables such as [profiles.prod]"
    path = write(tmp_path, '[profiles]\nprod = "x"\n')
    assert error_of(path) == f"{path}: profiles.prod: must be a table ([profiles.prod])"
    path = write(tmp_path, 'default_profile = 1\n')
    assert "default_profile: must be a profile name" in error_of(path)


def test_unusual_profile_names_are_quoted_like_toml(tmp_path):
    path = write(tmp_path, '[profiles."cut over"]\nrefresh = 0\n')
    assert error_of(path).startswith(f'{path}: profiles."cut over".refresh: ')


# --- file permissions (as ssh does) ------------------------------------------------------

@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
@pytest.mark.parametrize("secret", ["sk", "password", "security_token"])
def test_secret_in_a_file_others_can_read_is_refused(tmp_path, mode, secret):
    path = write(tmp_path, f'[profiles.prod]\n{secret} = "{SK}"\n', mode=mode)
    message = error_of(path)
    assert message == (
        f"{path}: holds a secret (profiles.prod.{secret}) but is open to group or others "
        f"(mode {mode:04o}); fix with: chmod 600 {path}")
    assert SK not in message


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_secret_in_a_private_file_is_accepted(tmp_path):
    path = write(tmp_path, f'[profiles.prod]\nak = "AK1"\nsk = "{SK}"\n', mode=0o600)
    assert load(path).sk == SK


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_secret_in_another_profile_still_counts(tmp_path):
    path = write(tmp_path, f'default_profile = "a"\n[profiles.a]\nrefresh = 5\n'
                           f'[profiles.b]\npassword = "{PASSWORD}"\n', mode=0o644)
    assert "(profiles.b.password)" in error_of(path)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_file_without_secrets_may_be_readable_by_others(tmp_path):
    path = write(tmp_path, '[profiles.prod]\nregion = "cn-north-4"\nak = "AK1"\n', mode=0o644)
    assert load(path).region == "cn-north-4"


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_chmod_hint_quotes_paths_with_spaces(tmp_path):
    folder = tmp_path / "my configs"
    folder.mkdir()
    path = write(folder, f'[profiles.p]\nsk = "{SK}"\n', mode=0o644)
    assert error_of(path).endswith(f"chmod 600 '{path}'")


# --- Settings helpers and secret hygiene --------------------------------------------------

def full_settings(**kw) -> Settings:
    env = {"HUAWEICLOUD_SDK_AK": "AKIDEXAMPLE", "HUAWEICLOUD_SDK_SK": SK,
           "HUAWEICLOUD_SDK_SECURITY_TOKEN": TOKEN, "DRSTUI_USER": "alice",
           "DRSTUI_PASSWORD": PASSWORD, "DRSTUI_DOMAIN": "acme", "DRSTUI_REGION": "cn-north-4"}
    return load(env=env, **kw)


def test_secrets_stay_out_of_repr_redacted_and_describe():
    settings = full_settings()
    for text in (repr(settings), str(settings.redacted()), settings.describe()):
        for secret in (SK, PASSWORD, TOKEN, "AKIDEXAMPLE"):
            assert secret not in text
    assert settings.redacted()["sk"] == "***"
    assert settings.redacted()["ak"] == "AKID***"
    assert "region = 'cn-north-4'  (environment variable DRSTUI_REGION)" in settings.describe()
    assert set(settings.secret_values()) == {SK, PASSWORD, TOKEN}


def test_loading_registers_secrets_for_redaction(tmp_path):
    full_settings()
    assert redact(f"sk is {SK}, password {PASSWORD}, token {TOKEN}") == (
        "sk is ***, password ***, token ***")
    # Even a secret in a file that is then refused, or a value that fails its check.
    clear_secrets()
    path = write(tmp_path, f'[profiles.p]\nsk = "{SK}"\n', mode=0o644)
    error_of(path)
    error_of(env={"DRSTUI_PASSWORD": PASSWORD + "\x01"})
    assert SK not in redact(SK) and PASSWORD not in redact(PASSWORD + "\x01")


def test_auth_method():
    env = {"DRSTUI_REGION": "cn-north-4"}
    assert load(env={**env, "HUAWEICLOUD_SDK_AK": "AK", "HUAWEICLOUD_SDK_SK": SK}
                ).auth_method == "aksk"
    token_env = {**env, "DRSTUI_USER": "u", "DRSTUI_PASSWORD": PASSWORD, "DRSTUI_DOMAIN": "d"}
    assert load(env=token_env).auth_method == "token"
    # Both present: AK/SK wins unless auth says otherwise.
    both = {**token_env, "HUAWEICLOUD_SDK_AK": "AK", "HUAWEICLOUD_SDK_SK": SK}
    assert load(env=both).auth_method == "aksk"
    assert load(env={**both, "DRSTUI_AUTH": "token"}).auth_method == "token"


@pytest.mark.parametrize(
    "env, problem",
    [
        ({}, "no credentials: set ak and sk"),
        ({"DRSTUI_AUTH": "aksk", "HUAWEICLOUD_SDK_AK": "AK"}, "auth is aksk but ak and sk"),
        ({"DRSTUI_USER": "u", "DRSTUI_PASSWORD": PASSWORD}, "token auth needs domain"),
    ],
)
def test_auth_method_errors_are_clear(env, problem):
    with pytest.raises(ConfigError, match=problem) as info:
        load(env=env).auth_method
    assert PASSWORD not in str(info.value)


def test_demo_needs_no_credentials_or_region():
    settings = load(demo=True, seed=7, jobs=50)
    assert settings.auth_method == "demo"
    settings.check_ready()
    assert (settings.demo, settings.seed, settings.jobs) == (True, 7, 50)


def test_check_ready_needs_a_region_outside_demo():
    with pytest.raises(ConfigError, match="no region"):
        load(env={"HUAWEICLOUD_SDK_AK": "AK", "HUAWEICLOUD_SDK_SK": SK}).check_ready()
    full_settings().check_ready()


def test_tls_warning_and_service_endpoints():
    settings = load(flags={"verify_tls": False, "endpoint": "http://127.0.0.1:8080"},
                    env={"DRSTUI_IAM_ENDPOINT": "https://iam.local"})
    assert "TLS certificate verification is OFF" in settings.tls_warning
    assert settings.service_endpoint("drs") == "http://127.0.0.1:8080"
    assert settings.service_endpoint("iam") == "https://iam.local"
    assert load().service_endpoint("drs") is None


# --- durations ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, seconds", [
    ("45", 45.0), ("90s", 90.0), ("30m", 1800.0), ("1h", 3600.0), ("1h30m", 5400.0),
    ("2.5m", 150.0), (" 10 S ", 10.0),
])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-5", "5x", "m", "0", "1h-", "1e9999"])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration(text)


# --- property: anything in → Settings or ConfigError -------------------------------------

toml_scalars = st.one_of(
    st.text(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
)
raw_values = st.recursive(
    toml_scalars | st.none(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=5,
)


@given(key=st.sampled_from(sorted(KEYS)), value=raw_values)
def test_any_value_from_any_layer_gives_settings_or_config_error(key, value):
    for build in (
        lambda: load(flags={key: value}),
        lambda: load(env={KEYS[key].env: value}) if isinstance(value, str) else None,
    ):
        try:
            result = build()
        except ConfigError as exc:
            assert "\n" not in str(exc)
        else:
            assert result is None or isinstance(result, Settings)


@hsettings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(key=st.sampled_from(sorted(KEYS)), text=st.text())
def test_any_text_in_the_file_gives_settings_or_config_error(key, text):
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), f"[profiles.p]\n{key} = {json.dumps(text)}\n")
        try:
            result = load(path)
        except ConfigError as exc:
            assert "\n" not in str(exc)
            if KEYS[key].hidden and len(text) >= 4:
                assert json.dumps(text) not in str(exc)
        else:
            assert isinstance(result, Settings)


def test_cutover_jobs_from_the_environment_and_bad_values_are_one_clear_line(tmp_path):
    settings = load(None, {"DRSTUI_CUTOVER_JOBS": "job-a, job-b"})
    assert settings.cutover_jobs == ("job-a", "job-b")
    path = write(tmp_path, "[profiles.prod]\ncutover_jobs = \"job-a\"\n")
    assert load(path).cutover_jobs == ("job-a",)  # one id as a string is accepted
    path = write(tmp_path, "[profiles.prod]\ncutover_jobs = [1, 2]\n")
    assert "cutover_jobs: must be a list of DRS job ids" in error_of(path)
    path = write(tmp_path, "[profiles.prod]\nmax_lag = -1\n")
    assert "max_lag: must be a number of seconds" in error_of(path)


def test_readiness_flags_override_the_profile(tmp_path):
    from drstui.cli import build_parser, resolve_settings

    path = write(tmp_path, "[profiles.prod]\nmax_lag = 10\ncutover_jobs = [\"job-a\"]\n")
    args = build_parser().parse_args(["--config", str(path), "--max-lag", "3s", "--stable-for", "1m",
                                      "--max-compare-age", "30m", "--job", "job-b", "--job", "job-c"])
    settings = resolve_settings(args, environ={})
    assert (settings.max_lag, settings.stable_for, settings.max_compare_age) == (3.0, 60.0, 1800.0)
    assert settings.cutover_jobs == ("job-b", "job-c")
    assert settings.origins["cutover_jobs"] == "--job"
# --- a config that someone else could have changed (as ssh refuses) ----------------------

@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o666, 0o646, 0o664, 0o620])
def test_a_config_others_may_change_is_refused_even_without_a_secret(tmp_path, mode):
    path = write(tmp_path, '[profiles.prod]\nendpoint = "http://evil.example"\n', mode=mode)
    message = error_of(path)
    assert message == (f"{path}: group or others may change it (mode {mode:04o}), and it says "
                       f"where credentials are sent; fix with: chmod go-w {path}")


@pytest.mark.skipif(os.name == "nt" or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_config_owned_by_another_user_is_refused_even_if_private(tmp_path):
    path = write(tmp_path, '[profiles.prod]\nregion = "cn-north-4"\n', mode=0o600)
    os.chown(path, 65534, -1)
    # Root may read anything, but drstui refuses a file another user could have written.
    message = error_of(path)
    assert message.startswith(f"{path}: owned by another user (uid 65534)")


@pytest.mark.parametrize("endpoint, warned", [
    ("http://drs.example.com", "drs.example.com"),
    ("http://10.1.2.3:8080", "10.1.2.3"),
    ("https://drs.example.com", None),
    ("http://127.0.0.1:8080", None),
    ("http://localhost:8080", None),
    ("http://[::1]:8080", None),
])
def test_plain_http_beyond_this_machine_is_warned_about(endpoint, warned):
    settings = load(env={"DRSTUI_ENDPOINT": endpoint, "DRSTUI_REGION": "cn-north-4"})
    warning = settings.plain_http_warning
    if warned is None:
        assert warning is None
    else:
        assert warning is not None and warned in warning and "unencrypted" in warning


def test_plain_http_is_warned_about_on_stderr_before_anything_is_sent(tmp_path, monkeypatch, capsys):
    from drstui import cli

    for name in list(os.environ):
        if name.startswith(("DRSTUI_", "HUAWEICLOUD_SDK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AKIDEXAMPLE")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    started = []
    monkeypatch.setattr(cli, "_call", lambda *args: started.append(args[:2]) or 0)
    config = write(tmp_path, "")
    status = cli.main(["--config", str(config), "--endpoint", "http://drs.example.com",
                       "--region", "cn-north-4", "--log-file", str(tmp_path / "log")])
    err = capsys.readouterr().err
    assert status == 0 and started == [("drstui.wiring", "run_monitor")]
    assert "WARNING: plain HTTP to drs.example.com" in err and "unencrypted" in err



@pytest.mark.parametrize(("value", "ok"), [("1", True), ("300", True), ("301", False), ("3600", False), ("0.5", False)])
def test_refresh_has_one_range_for_the_flag_the_file_and_the_keys(value: str, ok: bool) -> None:
    """--refresh / refresh = accept what + and - can reach, and nothing else."""
    from drstui.config_schema import KEYS, Invalid
    from drstui.ui.app import MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS

    check = KEYS["refresh"].check
    assert check("1") == MIN_REFRESH_SECONDS and check("300") == MAX_REFRESH_SECONDS
    if ok:
        assert MIN_REFRESH_SECONDS <= check(value) <= MAX_REFRESH_SECONDS
    else:
        with pytest.raises(Invalid):
            check(value)
