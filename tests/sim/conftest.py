import pytest

from drstui.sim import ManualClock, SimCore

from .helpers import Caller


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def core(clock: ManualClock) -> SimCore:
    return SimCore.create(seed=7, clock=clock)


@pytest.fixture
def call(core: SimCore) -> Caller:
    return Caller(core, auth="token")


@pytest.fixture
def signed(core: SimCore) -> Caller:
    return Caller(core, auth="aksk")
