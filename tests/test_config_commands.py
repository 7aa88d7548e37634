"""First run, `drstui config init` and `drstui config check`, the last against the simulator
served on a loopback port (real HTTP, real signatures)."""

from __future__ import annotations

import io
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from drstui import cli, config_commands
from drstui.config import default_config_path, display_path, load_settings
from drstui.config_commands import Console
from drstui.logs import clear_secrets, shutdown_logging
from drstui.sim.clock import WallClock
from drstui.sim.core import SimCore
from drstui.sim.credentials import (DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_SK,
                                   DEFAULT_USER)
from drstui.sim.server import serve_in_thread
from drstui.sim.world import PROJECT_ID

SK = "sk-CONFIG-SECRET-5a4b3c2d1e"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No credentials or config from the person running the tests; logs in tmp_path."""
    for name in list(os.environ):
        if name.startswith(("DRSTUI_", "HUAWEICLOUD_SDK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DRSTUI_LOG_FILE", str(tmp_path / "drstui.log"))
    clear_secrets()
    yield
    shutdown_logging()
    clear_secrets()


@pytest.fixture(scope="module")
def sim():
    """The simulator on a free loopback port, its clock the wall clock (signatures are dated)."""
    core = SimCore.create(seed=7, clock=WallClock(1.0))
    server = serve_in_thread(core)
    yield server
    server.close()


def console(*, tty=False, answers=(), secret_answers=()):
    answers, secret_answers = list(answers), list(secret_answers)
    asked: list[tuple[str, str]] = []

    def ask(prompt):
        asked.append(("plain", prompt))
        return answers.pop(0)

    def ask_secret(prompt):
        asked.append(("secret", prompt))
        return secret_answers.pop(0)

    made = Console(io.StringIO(), io.StringIO(), tty, ask, ask_secret)
    made.asked = asked  # type: ignore[attr-defined]
    return made


def output(made: Console) -> str:
    return made.out.getvalue() + made.err.getvalue()


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o600)
    return path


def sim_profile(name: str, url: str, *, sk: str = DEFAULT_SK, project_id: str | None = PROJECT_ID,
                endpoint_path: str = "") -> str:
    project = f'project_id = "{project_id}"\n' if project_id else ""
    return (f'[profiles.{name}]\nregion = "cn-north-4"\n{project}ak = "{DEFAULT_AK}"\n'
            f'sk = "{sk}"\nendpoint = "{url}{endpoint_path}"\n')


def check(path: Path) -> tuple[int, str, str]:
    made = console()
    status = config_commands.main(["check", "--path", str(path)], console=made, environ={})
    return status, made.out.getvalue(), made.err.getvalue()


# --- first run -----------------------------------------------------------------------------

def test_first_run_lists_every_missing_setting_with_the_path_and_an_example(capsys):
    assert cli.main([]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert display_path(default_config_path()) in err and "does not exist yet" in err
    lines = err.splitlines()
    region = next(line for line in lines if line.strip().startswith("region "))
    assert "DRSTUI_REGION" in region and "--region" in region
    credentials = next(line for line in lines if line.strip().startswith("credentials "))
    for source in ("ak and sk in the profile", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK",
                   "DRSTUI_USER", "DRSTUI_PASSWORD", "DRSTUI_DOMAIN"):
        assert source in credentials
    project = next(line for line in lines if line.strip().startswith("project_id "))
    assert "optional" in project and "HUAWEICLOUD_SDK_PROJECT_ID" in project
    assert "[profiles.default]" in err and 'sk = "YOUR-SECRET-ACCESS-KEY"' in err
    assert "drstui config init" in err and "drstui config check" in err


def test_first_run_names_only_what_is_still_missing_and_no_secret(tmp_path, monkeypatch, capsys):
    path = write(tmp_path / "drstui.toml", f'[profiles.bj4]\nsk = "{SK}"\n')
    monkeypatch.setenv("DRSTUI_CONFIG", str(path))
    assert cli.main(["snapshot"]) == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    listed = lines[lines.index("drstui: profile bj4: cannot connect yet; missing:") + 1:]
    names = [line.split()[0] for line in listed[:listed.index(next(
        line for line in listed if line.startswith("config file:")))]]
    assert names == ["region", "ak", "project_id"]
    assert display_path(path) in err and "(exists;" in err
    assert SK not in err


def test_first_run_asks_for_an_endpoint_where_no_region_table_has_one(capsys):
    assert cli.main(["--region", "xx-nowhere-1"]) == 2
    err = capsys.readouterr().err
    endpoint = next(line for line in err.splitlines() if line.strip().startswith("endpoint "))
    assert "xx-nowhere-1" in endpoint and "--endpoint" in endpoint


def test_a_complete_configuration_gets_no_first_run_message(tmp_path, fake_module, capsys):
    fake_module("drstui.headless", snapshot_command=0)
    path = write(tmp_path / "c.toml", f'[profiles.p]\nregion = "cn-north-4"\nak = "AK1"\nsk = "{SK}"\n')
    assert cli.main(["snapshot", "--config", str(path)]) == 0
    assert "cannot connect yet" not in capsys.readouterr().err


@pytest.fixture
def fake_module(monkeypatch):
    import types

    def install(name, **functions):
        module = types.ModuleType(name)
        for fname, result in functions.items():
            setattr(module, fname, lambda *args, _r=result: _r)
        monkeypatch.setitem(sys.modules, name, module)
    return install


# --- config init ---------------------------------------------------------------------------

def test_init_from_flags_writes_a_private_file_that_loads(tmp_path, capsys):
    path = tmp_path / "new" / "drstui.toml"
    status = cli.main(["config", "init", "--path", str(path), "--profile", "bj4", "--region",
                       "cn-north-4", "--project-id", PROJECT_ID, "--ak", DEFAULT_AK, "--sk", SK,
                       "--endpoint", "http://127.0.0.1:9"])
    out, err = capsys.readouterr()
    assert status == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    settings = load_settings(config_path=path, environ={})
    assert (settings.profile, settings.region, settings.project_id) == ("bj4", "cn-north-4", PROJECT_ID)
    assert (settings.ak, settings.sk, settings.endpoint) == (DEFAULT_AK, SK, "http://127.0.0.1:9")
    assert f"wrote {display_path(path)} (mode 600), profile bj4" in out
    assert "visible in the process list" in err
    assert SK not in out + err


def test_init_takes_the_environment_when_no_flag_is_given(tmp_path):
    path = tmp_path / "drstui.toml"
    environ = {"HUAWEICLOUD_SDK_AK": DEFAULT_AK, "HUAWEICLOUD_SDK_SK": SK, "DRSTUI_REGION": "cn-east-3"}
    made = console()
    assert config_commands.main(["init", "--path", str(path)], environ=environ, console=made) == 0
    settings = load_settings(config_path=path, environ={})
    assert (settings.region, settings.ak, settings.sk) == ("cn-east-3", DEFAULT_AK, SK)
    assert SK not in output(made) and "process list" not in output(made)


def test_init_refuses_to_replace_a_file_without_force(tmp_path, capsys):
    path = write(tmp_path / "drstui.toml", '[profiles.old]\nregion = "cn-north-1"\n')
    before = path.read_text()
    assert cli.main(["config", "init", "--path", str(path), "--region", "cn-north-4"]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err and path.read_text() == before
    path.chmod(0o644)
    assert cli.main(["config", "init", "--path", str(path), "--region", "cn-north-4", "--force"]) == 0
    assert load_settings(config_path=path, environ={}).region == "cn-north-4"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_init_without_a_terminal_writes_a_template_and_says_what_to_fill_in(tmp_path, capsys):
    path = tmp_path / "drstui.toml"
    assert cli.main(["config", "init", "--path", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"wrote a template to {display_path(path)}" in out and "fill in region, ak, sk" in out
    text = path.read_text()
    assert '# region = "cn-north-4"' in text and '# sk = "YOUR-SECRET-ACCESS-KEY"' in text
    settings = load_settings(config_path=path, environ={})  # loads; nothing set yet
    assert settings.profile == "default" and settings.region is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # What a run with it then says.
    assert cli.main(["--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "region " in err and "credentials " in err and display_path(path) in err


def test_init_on_a_terminal_asks_and_reads_the_secret_without_echo(tmp_path):
    path = tmp_path / "drstui.toml"
    made = console(tty=True, answers=["not a region", "cn-north-4", "", DEFAULT_AK, ""],
                   secret_answers=[SK])
    assert config_commands.main(["init", "--path", str(path)], console=made, environ={}) == 0
    assert [kind for kind, prompt in made.asked if "SK" in prompt] == ["secret"]
    assert all(kind == "plain" for kind, prompt in made.asked if "SK" not in prompt)
    settings = load_settings(config_path=path, environ={})
    assert (settings.region, settings.project_id, settings.ak, settings.sk) == (
        "cn-north-4", None, DEFAULT_AK, SK)
    assert "must be a region id" in made.err.getvalue()
    assert SK not in output(made)


def test_init_on_a_terminal_asks_nothing_when_the_flags_say_it_all(tmp_path):
    path = tmp_path / "drstui.toml"
    made = console(tty=True)
    environ = {"HUAWEICLOUD_SDK_SK": SK}
    assert config_commands.main(["init", "--path", str(path), "--region", "cn-north-4", "--ak",
                                 DEFAULT_AK], console=made, environ=environ) == 0
    assert made.asked == [] and load_settings(config_path=path, environ={}).sk == SK


def test_init_ended_at_a_prompt_writes_nothing(tmp_path):
    path = tmp_path / "drstui.toml"
    made = console(tty=True)

    def ask(prompt):
        if "access key" in prompt:
            raise EOFError  # Ctrl-D
        return "cn-north-4" if "region" in prompt else ""

    made.ask = ask
    assert config_commands.main(["init", "--path", str(path)], console=made, environ={}) == 2
    assert "cancelled; nothing written" in made.err.getvalue() and not path.exists()


def test_init_refuses_a_bad_flag_value_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "drstui.toml"
    assert cli.main(["config", "init", "--path", str(path), "--endpoint", "ftp://x"]) == 2
    assert "--endpoint: must be an http(s) URL" in capsys.readouterr().err
    assert not path.exists()


# --- config check --------------------------------------------------------------------------

def test_check_ok_against_the_simulator(tmp_path, sim):
    path = write(tmp_path / "drstui.toml", sim_profile("bj4", sim.url))
    status, out, err = check(path)
    jobs = len(sim.core.world.project.jobs)
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        f"config file OK: {display_path(path)}",
        f"profile bj4: region cn-north-4, project {PROJECT_ID}: AK/SK signing OK, "
        f"DRS reachable at {sim.url}, {jobs} jobs",
    ]
    assert DEFAULT_SK not in out


def test_check_through_the_command_line_and_without_a_project_id(tmp_path, sim, capsys):
    path = write(tmp_path / "drstui.toml", sim_profile("bj4", sim.url, project_id=None))
    assert cli.main(["config", "check", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"project {PROJECT_ID} (looked up from the region): AK/SK signing OK" in out


def test_check_with_a_wrong_secret_key_says_the_credentials_were_refused(tmp_path, sim):
    path = write(tmp_path / "drstui.toml", sim_profile("bj4", sim.url, sk=SK))
    status, out, err = check(path)
    assert status == 1
    assert f"config file OK: {display_path(path)}" in out
    assert "profile bj4" in err and "FAILED: credentials refused" in err and "check ak and sk" in err
    assert "project id" not in err
    assert SK not in out + err


def test_check_with_a_wrong_project_id_says_so(tmp_path, sim):
    path = write(tmp_path / "drstui.toml", sim_profile("bj4", sim.url, project_id="0000wrong"))
    status, _, err = check(path)
    assert status == 1
    assert "the project id 0000wrong is probably wrong" in err and "APIGW.0302" in err
    assert "credentials refused" not in err


def test_check_of_an_unpublished_path_suspects_the_project_id_or_the_endpoint(tmp_path, sim):
    path = write(tmp_path / "drstui.toml", sim_profile("bj4", sim.url, endpoint_path="/nope"))
    status, _, err = check(path)
    assert status == 1
    assert "HTTP 404 APIGW.0101" in err and "project id" in err and "not a DRS endpoint" in err


def test_check_of_a_closed_port_says_the_host_is_unreachable(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = write(tmp_path / "drstui.toml", sim_profile("bj4", f"http://127.0.0.1:{port}"))
    status, _, err = check(path)
    assert status == 1
    assert f"cannot reach 127.0.0.1:{port}: connection refused (host unreachable" in err
    assert "credentials" not in err


def test_check_checks_each_profile(tmp_path, sim):
    text = sim_profile("good", sim.url) + sim_profile("bad", sim.url, project_id="0a3c6f2e")
    path = write(tmp_path / "drstui.toml", text)
    status, out, err = check(path)
    assert status == 1
    assert "profile good: region cn-north-4" in out and "AK/SK signing OK" in out
    assert "profile bad: region cn-north-4, project 0a3c6f2e: FAILED" in err


@pytest.mark.parametrize("password, ok", [(DEFAULT_PASSWORD, True), (SK, False)])
def test_check_with_an_iam_token(tmp_path, sim, password, ok):
    path = write(tmp_path / "drstui.toml",
                 f'[profiles.tok]\nregion = "cn-north-4"\nuser = "{DEFAULT_USER}"\n'
                 f'password = "{password}"\ndomain = "{DEFAULT_DOMAIN}"\nendpoint = "{sim.url}"\n')
    status, out, err = check(path)
    if ok:
        assert status == 0 and "IAM token OK, DRS reachable at" in out
    else:
        assert status == 1 and "IAM login refused: check user, password and domain" in err
    assert SK not in out + err


def test_check_never_loads_the_user_interface(tmp_path):
    """The config commands stay below the UI layer: a check run imports no Textual."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = write(tmp_path / "drstui.toml", sim_profile("bj4", f"http://127.0.0.1:{port}"))
    code = ("import sys; from drstui import cli; status = cli.main(['config', 'check', '--path', "
            f"{str(path)!r}]); loaded = sorted(m for m in sys.modules if m.startswith(('textual', "
            "'drstui.ui'))); print(status, loaded)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRSTUI_", "HUAWEICLOUD_"))}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.stdout.splitlines()[-1] == "1 []", done.stdout + done.stderr


def test_check_lists_every_problem_of_an_invalid_file(tmp_path):
    path = write(tmp_path / "drstui.toml",
                 'colour = "blue"\n[profiles.bj4]\nregoin = "cn-north-4"\nrefresh = "fast"\n'
                 f'sk = "{SK}"\n[profiles.sh1]\nendpoint = "ftp://x"\n')
    status, out, err = check(path)
    assert status == 2 and out == ""
    assert f"{display_path(path)}: 4 problem(s):" in err
    assert "colour: unknown top-level key" in err
    assert 'profiles.bj4.regoin: unknown key; did you mean "region"?' in err
    assert "profiles.bj4.refresh: must be a number of seconds" in err
    assert "profiles.sh1.endpoint: must be an http(s) URL" in err
    assert SK not in err


def test_check_of_a_file_open_to_others_and_of_bad_toml(tmp_path):
    path = write(tmp_path / "drstui.toml", f'[profiles.bj4]\nsk = "{SK}"\n')
    path.chmod(0o644)
    status, _, err = check(path)
    assert status == 2 and "chmod 600" in err and SK not in err
    write(path, "[profiles.bj4\n")
    status, _, err = check(path)
    assert status == 2 and "invalid TOML" in err


def test_check_of_an_incomplete_profile_names_what_is_missing(tmp_path):
    path = write(tmp_path / "drstui.toml", '[profiles.bj4]\nregion = "cn-north-4"\nak = "AK1"\n')
    status, out, err = check(path)
    assert status == 2
    assert "profile bj4: incomplete: sk (sk in the profile, or HUAWEICLOUD_SDK_SK)" in err
    assert "config file OK" not in out


def test_check_without_a_file_points_at_init(tmp_path):
    status, out, err = check(tmp_path / "absent.toml")
    assert status == 2 and "no config file at" in err and "drstui config init" in err


def test_config_must_come_first(capsys):
    assert cli.main(["--demo", "config", "check"]) == 2
    assert "put 'config' first" in capsys.readouterr().err
