"""API enum values -> Snapshot verdicts and results (docs/api/drs.md §4).

Every function here accepts anything the API may send (ints, strings, booleans, None, values we
have never seen) and never raises: an unknown value becomes UNKNOWN and is shown as such.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drstui.api.models.enums import ROW_STATUS_TEXT, CompareStatus
from drstui.monitor.snapshot import TypeResult, Verdict

# §4.4: integer per-object-type result (v3 overview, v5 health overview, object detail).
_INT_RESULTS = {0: TypeResult.INCONSISTENT, 2: TypeResult.CONSISTENT, 3: TypeResult.INCOMPLETE}

# §4.5: string results. Both spellings of "target DB missing" exist (v3 EXIT, v5 EXIST).
# Could-not-compare answers are UNKNOWN: nothing was verified, but nothing differs either.
_STRING_RESULTS = {
    "CONSISTENT": TypeResult.CONSISTENT,
    "INCONSISTENT": TypeResult.INCONSISTENT,
    "TARGET_DB_NOT_EXIT": TypeResult.INCONSISTENT,
    "TARGET_DB_NOT_EXIST": TypeResult.INCONSISTENT,
    "COMPARING": TypeResult.INCOMPLETE,
    "WAITING_FOR_COMPARISON": TypeResult.INCOMPLETE,
    "WAIT_FOR_COMPARE": TypeResult.INCOMPLETE,
    "FAILED_TO_COMPARE": TypeResult.UNKNOWN,
    "CAN_NOT_COMPARE": TypeResult.UNKNOWN,
    "CANCELED": TypeResult.UNKNOWN,
}

# §4.6 row/value status codes; their texts live with the API enums (ROW_STATUS_TEXT).
# A difference was found (including something missing on one side).
_ROW_INCONSISTENT = frozenset({0, 3, 8, 9, 11, 12, 13, 20, 21, 22})
_ROW_CONSISTENT = frozenset({2, 10})
_ROW_INCOMPLETE = frozenset({5, 6})
# Everything else (failed, cancelled, connection/SQL errors, too big, timed out): not verified.

def as_int(value: Any) -> int | None:
    """An int from an int or a numeric string; None for anything else (bools excluded)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def type_result(value: Any) -> TypeResult:
    """Per-object-type / per-object result from the int (§4.4) or string (§4.5) enums."""
    if isinstance(value, bool):
        return TypeResult.CONSISTENT if value else TypeResult.INCONSISTENT
    if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
        return _STRING_RESULTS.get(value.strip().upper(), TypeResult.UNKNOWN)
    number = as_int(value)
    if number is None:
        return TypeResult.UNKNOWN
    return _INT_RESULTS.get(number, TypeResult.UNKNOWN)


def row_status(value: Any) -> tuple[int | None, str, TypeResult]:
    """(code, text, result) for a §4.6 row/value status code; unknown codes kept as-is."""
    code = as_int(value)
    if code is None:
        text = "unknown" if value is None or value == "" else f"unknown ({value})"
        return None, text, TypeResult.UNKNOWN
    text = ROW_STATUS_TEXT.get(code, f"unknown status {code}")
    if code in _ROW_INCONSISTENT:
        return code, text, TypeResult.INCONSISTENT
    if code in _ROW_CONSISTENT:
        return code, text, TypeResult.CONSISTENT
    if code in _ROW_INCOMPLETE:
        return code, text, TypeResult.INCOMPLETE
    return code, text, TypeResult.UNKNOWN


def comparison_verdict(status: str, results: Iterable[TypeResult]) -> Verdict:
    """The glance answer for one comparison, from its §4.1 status and its per-item results.

    A difference found while still running already says INCONSISTENT: that is what the
    engineer must see first. A finished comparison is CONSISTENT only if every item is.
    """
    results = list(results)
    state = CompareStatus.parse(status)
    if state.verified_nothing:
        return Verdict.FAILED
    if TypeResult.INCONSISTENT in results:
        return Verdict.INCONSISTENT
    if state.is_active:
        return Verdict.RUNNING
    if state is CompareStatus.SUCCESSFUL:
        if all(result == TypeResult.CONSISTENT for result in results):
            return Verdict.CONSISTENT
        return Verdict.UNKNOWN
    return Verdict.UNKNOWN


def status_verdict(status: str) -> Verdict:
    """Verdict from a §4.1 status alone (comparisons whose results we did not read)."""
    state = CompareStatus.parse(status)
    if state.verified_nothing:
        return Verdict.FAILED
    if state.is_active:
        return Verdict.RUNNING
    return Verdict.UNKNOWN


# Highest first: what a job's one-word roll-up shows when its comparisons disagree.
_ROLLUP_ORDER = (
    Verdict.FAILED,
    Verdict.INCONSISTENT,
    Verdict.RUNNING,
    Verdict.UNKNOWN,
    Verdict.CONSISTENT,
)


def rollup(verdicts: Iterable[Verdict]) -> Verdict:
    """Job roll-up: failed > inconsistent > running > unknown > consistent > none."""
    seen = set(verdicts)
    for verdict in _ROLLUP_ORDER:
        if verdict in seen:
            return verdict
    return Verdict.NONE
