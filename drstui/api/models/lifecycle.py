"""Comparison lifecycle models: row-level differences of a value comparison, the scheduled
compare policy, and the pause/restart answers.

Field names follow the official SDK (huaweicloudsdkdrs 3.1.219): v3
``ListContentCompareDifferenceResponse``/``CompareJobContentDetailInfo``; v5
``ShowComparePolicyResponse``, ``ModifyComparePolicyReq``, ``OperateDataCompareJobReq`` and
``PauseCompareJobsResponse``. See docs/comparison-lifecycle.md for the rules the request models
enforce before anything is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._parse import Reader
from .base import Model, extra_field

DIFFERENCE_PAGE_MAX = 1000  # "limit: 每页显示的条目数量，最大值1000"

# -- row-level differences (v3 content-difference) -------------------------------------------

ONLY_IN_SOURCE = "only in source"
ONLY_IN_TARGET = "only in target"
DIFFERENT = "different"


@dataclass(frozen=True)
class DifferenceRow(Model):
    """One differing row: its key values on each side and the SQL that selects it."""

    source_key_value: tuple[str, ...] = ()
    target_key_value: tuple[str, ...] = ()
    select_sql: str | None = None  # the source side
    target_select_sql: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def kind(self) -> str:
        """A row whose key is missing on one side exists only on the other."""
        if self.source_key_value and not self.target_key_value:
            return ONLY_IN_SOURCE
        if self.target_key_value and not self.source_key_value:
            return ONLY_IN_TARGET
        return DIFFERENT

    @property
    def key_text(self) -> str:
        return ", ".join(self.source_key_value or self.target_key_value)

    @classmethod
    def _read(cls, r: Reader) -> DifferenceRow:
        return cls(r.strs("source_key_value"), r.strs("target_key_value"), r.str("select_sql"),
                   r.str("target_select_sql"), extra=r.extra())


@dataclass(frozen=True)
class ContentDifference(Model):
    """GET /v3/{pid}/jobs/{job_id}/compare/{compare_job_id}/content-difference (one page).

    The three counters are for the whole filtered result, not the page: ``target_meta_is_null``
    counts rows only in the source, ``source_meta_is_null`` rows only in the target and
    ``source_target_meta_not_null`` rows on both sides whose values differ."""

    count: int | None = None
    only_in_source: int | None = None
    only_in_target: int | None = None
    different: int | None = None
    rows: tuple[DifferenceRow, ...] = ()
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ContentDifference:
        return cls(r.int("count"), r.int("target_meta_is_null"), r.int("source_meta_is_null"),
                   r.int("source_target_meta_not_null"), r.objs("contents_infos", DifferenceRow._read),
                   extra=r.extra())


# -- pause / restart (v5) ---------------------------------------------------------------------


@dataclass(frozen=True)
class CompareOperation(Model):
    """The 202 answer of POST /v5/{pid}/jobs/{job_id}/compare/pause and .../restart."""

    request_id: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> CompareOperation:
        return cls(r.str("request_id"), extra=r.extra())


def compare_ids_body(compare_job_ids: list[str] | tuple[str, ...]) -> dict[str, list[str]]:
    """OperateDataCompareJobReq: ``compare_job_ids`` is mandatory and must name something."""
    ids = [i for i in dict.fromkeys(compare_job_ids) if i]
    if not ids:
        raise ValueError("compare_job_ids must name at least one comparison")
    return {"compare_job_ids": ids}


# -- compare policy (v5) ----------------------------------------------------------------------

POLICY_STATUSES = ("OPEN", "CLOSED", "NO_SUPPORT")
POLICY_ACTIONS = ("open", "close")
POLICY_COMPARE_TYPES = ("object_comparison", "lines", "account", "contents")
POLICY_MODES = ("normal", "manyToOne")
CONFLICT_STRATEGIES = ("cover", "ignore")
EVERY_DAY = "* * 1,2,3,4,5,6,7"
_PERIOD = re.compile(r"^\* \* ([1-7](?:,[1-7])*)$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")


@dataclass(frozen=True)
class ComparePolicy(Model):
    """GET /v5/{pid}/jobs/{job_id}/compare-policy. Every field is optional in the SDK."""

    status: str | None = None  # OPEN / CLOSED / NO_SUPPORT
    period: str | None = None  # "* * 1,3,5": weekdays, 1 = Monday
    begin_time: str | None = None  # UTC HH:mm:ss
    end_time: str | None = None
    compare_type: tuple[str, ...] = ()
    next_compare_time: datetime | None = None
    next_compare_time_raw: str | None = None
    compare_policy: str | None = None  # normal / manyToOne
    interval_hour: int | None = None
    conflict_strategy: str | None = None  # cover / ignore
    extra: dict[str, Any] = extra_field()

    @property
    def is_open(self) -> bool:
        return (self.status or "").upper() == "OPEN"

    @property
    def supported(self) -> bool:
        return (self.status or "").upper() != "NO_SUPPORT"

    @property
    def weekdays(self) -> tuple[int, ...]:
        return period_weekdays(self.period or "")

    @classmethod
    def _read(cls, r: Reader) -> ComparePolicy:
        next_time, next_raw = r.time("next_compare_time")
        return cls(
            status=r.str("status"), period=r.str("period"), begin_time=r.str("begin_time"),
            end_time=r.str("end_time"), compare_type=r.strs("compare_type"),
            next_compare_time=next_time, next_compare_time_raw=next_raw,
            compare_policy=r.str("compare_policy"), interval_hour=r.int("interval_hour"),
            conflict_strategy=r.str("conflict_strategy"), extra=r.extra())


def period_weekdays(period: str) -> tuple[int, ...]:
    """Weekdays (1 = Monday .. 7 = Sunday) of a policy period, () if it is not one."""
    match = _PERIOD.match(period.strip())
    if not match:
        return ()
    return tuple(sorted({int(d) for d in match.group(1).split(",")}))


def period_for(weekdays: list[int] | tuple[int, ...]) -> str:
    return "* * " + ",".join(str(d) for d in sorted(set(weekdays)))


@dataclass(frozen=True)
class ComparePolicyUpdate:
    """Body of PUT /v5/{pid}/jobs/{job_id}/compare-policy (ModifyComparePolicyReq).

    Built only through :meth:`checked`, which refuses what the API refuses: ``action`` is
    mandatory; opening needs ``period``, ``begin_time``, ``end_time`` and at least one compare
    type; ``interval_hour`` (hourly comparisons) is a positive number of hours."""

    action: str
    period: str | None = None
    begin_time: str | None = None
    end_time: str | None = None
    compare_type: tuple[str, ...] = ()
    compare_policy: str | None = None
    interval_hour: int | None = None
    conflict_strategy: str | None = None

    @classmethod
    def checked(cls, action: str, *, period: str | None = None, begin_time: str | None = None,
                end_time: str | None = None, compare_type: tuple[str, ...] | list[str] = (),
                compare_policy: str | None = None, interval_hour: int | None = None,
                conflict_strategy: str | None = None) -> ComparePolicyUpdate:
        update = cls(action, period or None, begin_time or None, end_time or None,
                     tuple(dict.fromkeys(compare_type)), compare_policy or None, interval_hour,
                     conflict_strategy or None)
        problems = update.problems()
        if problems:
            raise ValueError("; ".join(problems))
        return update

    def problems(self) -> list[str]:
        """Every reason the API would refuse this body (empty when it is acceptable)."""
        out: list[str] = []
        if self.action not in POLICY_ACTIONS:
            out.append(f"action must be one of {', '.join(POLICY_ACTIONS)}")
        opening = self.action == "open"
        if opening and not self.period:
            out.append("period is required to open the policy")
        if self.period and not period_weekdays(self.period):
            out.append("period must look like '* * 1,3,5' (weekdays 1-7, 1 = Monday)")
        for name, value in (("begin_time", self.begin_time), ("end_time", self.end_time)):
            if opening and not value:
                out.append(f"{name} is required to open the policy")
            elif value and not _CLOCK.match(value):
                out.append(f"{name} must be a UTC time HH:mm:ss")
        if opening and not self.compare_type:
            out.append("choose at least one compare type")
        unknown = [t for t in self.compare_type if t not in POLICY_COMPARE_TYPES]
        if unknown:
            out.append(f"unknown compare type {unknown[0]!r}")
        if self.compare_policy is not None and self.compare_policy not in POLICY_MODES:
            out.append(f"compare_policy must be one of {', '.join(POLICY_MODES)}")
        if self.interval_hour is not None and self.interval_hour < 1:
            out.append("interval_hour must be a whole number of hours, at least 1")
        if self.conflict_strategy is not None and self.conflict_strategy not in CONFLICT_STRATEGIES:
            out.append(f"conflict_strategy must be one of {', '.join(CONFLICT_STRATEGIES)}")
        return out

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"action": self.action}
        for key in ("period", "begin_time", "end_time", "compare_policy", "interval_hour",
                    "conflict_strategy"):
            value = getattr(self, key)
            if value is not None:
                body[key] = value
        if self.compare_type:
            body["compare_type"] = list(self.compare_type)
        return body
