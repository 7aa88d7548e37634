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


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def data_dir() -> Path:
    return DATA
