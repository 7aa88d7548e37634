"""Property test: any JSON fed to any parser gives a model or ApiError — nothing else."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drstui.api.errors import ApiError
from drstui.api.models import drs, iam, sms
from drstui.api.models.base import Model

from .helpers import load
from .test_models import RESPONSE_FIXTURES

PARSERS = sorted(
    {cls for mod in (drs, sms, iam) for _, cls in inspect.getmembers(mod, inspect.isclass)
     if issubclass(cls, Model) and cls is not Model},
    key=lambda c: c.__name__,
)

scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20)
           | st.sampled_from(["", "0", "12", "1736918400000", "2024-04-09T07:00:57Z", "true",
                              "TARGET_DB_NOT_EXIT", "lines,object_comparison", "{\"dir_check\":1}",
                              "[1,2]", "1e400", "NaN"]))
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)


def check(parser, value: Any) -> None:
    try:
        result = parser.from_json(value)
    except ApiError as err:
        assert err.kind == "malformed"
        str(err)
        return
    assert isinstance(result, parser)
    repr(result)


@st.composite
def mutated_fixture(draw):
    """A fixture document with some leaves (or whole sub-trees) replaced by random JSON."""
    name = draw(st.sampled_from(sorted(RESPONSE_FIXTURES)))
    doc = load(name)

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (draw(json_values) if draw(st.integers(0, 5)) == 0 else walk(v))
                    for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return draw(json_values) if draw(st.booleans()) else node

    return RESPONSE_FIXTURES[name], walk(doc)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda c: c.__name__)
@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values)
def test_arbitrary_json(parser, value):
    check(parser, value)


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated_fixture())
def test_fixture_shaped_json(case):
    parser, value = case
    check(parser, value)


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated_fixture(), other=st.sampled_from(PARSERS))
def test_fixture_shaped_json_into_every_parser(case, other):
    _, value = case
    check(other, value)


def test_all_parsers_collected():
    names = {p.__name__ for p in PARSERS}
    assert {"JobList", "ConsistencyResult", "SmsSourceList",
            "TokenInfo", "ObjectCompareOverview"} <= names
