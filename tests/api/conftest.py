"""Fixtures for API tests (helpers live in helpers.py)."""

from __future__ import annotations

import random

import pytest

from drstui.api.retry import RetryPolicy

from .helpers import SleepRecorder


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def policy(sleeps) -> RetryPolicy:
    return RetryPolicy(rng=random.Random(7), sleep=sleeps)
