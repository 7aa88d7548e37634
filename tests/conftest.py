"""Shared test settings: fixed time zone, data paths."""

import os
import time
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
FIXTURES = DATA / "fixtures"

# Snapshots and time formatting must not depend on where the tests run.
os.environ["TZ"] = "UTC"
time.tzset()


# Where a user's real state lives (config, cutover log, logs, downloads): every test gets empty
# folders of its own instead, so no test can read or write the person's real record.
USER_DIRS = ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_DOWNLOAD_DIR")


@pytest.fixture(autouse=True)
def user_dirs(tmp_path_factory, monkeypatch) -> dict[str, Path]:
    """The XDG folders of this test's pretend user (fresh and empty for each test)."""
    root = tmp_path_factory.mktemp("user")
    dirs = {name: root / name.lower() for name in USER_DIRS}
    for name, path in dirs.items():
        monkeypatch.setenv(name, str(path))
    monkeypatch.delenv("DRSTUI_CONFIG", raising=False)
    monkeypatch.delenv("DRSTUI_PROFILE", raising=False)
    return dirs


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def data_dir() -> Path:
    return DATA
