"""DRS/SMS enumerations (docs/api/drs.md §4, docs/api/sms.md §3): the one status vocabulary.

Models and the Snapshot store the raw value as sent (so unknown values survive); these enums
give typed access through `.parse(raw)`, which never fails (an unrecognised value becomes
`UNKNOWN`), and carry the predicates every layer asks (terminal? failed? can compare?), so no
status set is spelled out anywhere else.
"""

from __future__ import annotations

from enum import Enum, IntEnum


class _LenientStrEnum(str, Enum):
    @classmethod
    def parse(cls, raw: object):
        if raw is None:
            return cls.UNKNOWN  # type: ignore[attr-defined]
        text = str(raw)
        try:
            return cls(text)
        except ValueError:
            return cls.UNKNOWN  # type: ignore[attr-defined]

    def __str__(self) -> str:
        return self.value


class CompareStatus(_LenientStrEnum):
    """Status of a comparison (object-level, data-level, health) — §4.1."""

    WAITING_FOR_RUNNING = "WAITING_FOR_RUNNING"
    RUNNING = "RUNNING"
    FULL_DOING = "FULL_DOING"
    INCRE_DOING = "INCRE_DOING"
    SUCCESSFUL = "SUCCESSFUL"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    TIMEOUT_INTERRUPT = "TIMEOUT_INTERRUPT"
    UNKNOWN = "UNKNOWN"

    @property
    def is_terminal(self) -> bool:
        """Finished: the comparison never changes again."""
        return self in _TERMINAL_COMPARE

    @property
    def is_running(self) -> bool:
        return self in (CompareStatus.RUNNING, CompareStatus.FULL_DOING, CompareStatus.INCRE_DOING)

    @property
    def is_active(self) -> bool:
        """Waiting to run or running: its results may still change."""
        return self is CompareStatus.WAITING_FOR_RUNNING or self.is_running

    @property
    def is_error(self) -> bool:
        """Ended in an error (a cancellation is not one)."""
        return self in (CompareStatus.FAILED, CompareStatus.TIMEOUT_INTERRUPT)

    @property
    def verified_nothing(self) -> bool:
        """Ended without a verdict: failed, timed out or cancelled."""
        return self.is_error or self is CompareStatus.CANCELLED


_TERMINAL_COMPARE = frozenset(
    {CompareStatus.SUCCESSFUL, CompareStatus.FAILED, CompareStatus.CANCELLED,
     CompareStatus.TIMEOUT_INTERRUPT}
)


class ExportStatus(_LenientStrEnum):
    """Result-file generation — §4.2."""

    INIT = "INIT"
    EXPORTING = "EXPORTING"
    EXPORT_COMPLETE = "EXPORT_COMPLETE"
    EXPORT_COMMON_FAILED = "EXPORT_COMMON_FAILED"
    UNKNOWN = "UNKNOWN"

    @property
    def is_ready(self) -> bool:
        return self is ExportStatus.EXPORT_COMPLETE

    @property
    def is_failed(self) -> bool:
        return self is ExportStatus.EXPORT_COMMON_FAILED


class JobStatusValue(_LenientStrEnum):
    """DRS job (task) status — §4.8."""

    CREATING = "CREATING"
    CREATE_FAILED = "CREATE_FAILED"
    CONFIGURATION = "CONFIGURATION"
    STARTJOBING = "STARTJOBING"
    WAITING_FOR_START = "WAITING_FOR_START"
    START_JOB_FAILED = "START_JOB_FAILED"
    PAUSING = "PAUSING"  # means *paused*
    FULL_TRANSFER_STARTED = "FULL_TRANSFER_STARTED"
    FULL_TRANSFER_FAILED = "FULL_TRANSFER_FAILED"
    FULL_TRANSFER_COMPLETE = "FULL_TRANSFER_COMPLETE"
    INCRE_TRANSFER_STARTED = "INCRE_TRANSFER_STARTED"
    INCRE_TRANSFER_FAILED = "INCRE_TRANSFER_FAILED"
    RELEASE_RESOURCE_STARTED = "RELEASE_RESOURCE_STARTED"
    RELEASE_RESOURCE_FAILED = "RELEASE_RESOURCE_FAILED"
    RELEASE_RESOURCE_COMPLETE = "RELEASE_RESOURCE_COMPLETE"
    REBUILD_NODE_STARTED = "REBUILD_NODE_STARTED"
    REBUILD_NODE_FAILED = "REBUILD_NODE_FAILED"
    CHANGE_JOB_STARTED = "CHANGE_JOB_STARTED"
    CHANGE_JOB_FAILED = "CHANGE_JOB_FAILED"
    DELETED = "DELETED"
    CHILD_TRANSFER_STARTING = "CHILD_TRANSFER_STARTING"
    CHILD_TRANSFER_STARTED = "CHILD_TRANSFER_STARTED"
    CHILD_TRANSFER_COMPLETE = "CHILD_TRANSFER_COMPLETE"
    CHILD_TRANSFER_FAILED = "CHILD_TRANSFER_FAILED"
    RELEASE_CHILD_TRANSFER_STARTED = "RELEASE_CHILD_TRANSFER_STARTED"
    RELEASE_CHILD_TRANSFER_COMPLETE = "RELEASE_CHILD_TRANSFER_COMPLETE"
    NODE_UPGRADE_START = "NODE_UPGRADE_START"
    NODE_UPGRADE_COMPLETE = "NODE_UPGRADE_COMPLETE"
    NODE_UPGRADE_FAILED = "NODE_UPGRADE_FAILED"
    UNKNOWN = "UNKNOWN"
    UNKNOWN_FAILED = "UNKNOWN_FAILED"

    @classmethod
    def parse(cls, raw: object) -> JobStatusValue:
        status = super().parse(raw)
        if status is cls.UNKNOWN and str(raw).endswith("_FAILED"):
            return cls.UNKNOWN_FAILED  # a failure state this list does not know yet
        return status

    @property
    def is_failed(self) -> bool:
        return self.value.endswith("_FAILED")

    @property
    def can_compare(self) -> bool:
        """A comparison can only be created while incremental transfer runs (the healthy
        steady state of a job)."""
        return self is JobStatusValue.INCRE_TRANSFER_STARTED

    @property
    def is_settling(self) -> bool:
        """On its way (created, configured, starting, paused, full transfer): neither healthy
        nor failed."""
        return self in _SETTLING_JOB or (self.value.startswith(("FULL_TRANSFER_", "WAITING"))
                                         and not self.is_failed)


_SETTLING_JOB = frozenset({JobStatusValue.PAUSING, JobStatusValue.CONFIGURATION,
                           JobStatusValue.CREATING, JobStatusValue.STARTJOBING})


class ObjectResult(IntEnum):
    """Per-object-type integer result (§4.4): there is no 1."""

    INCONSISTENT = 0
    CONSISTENT = 2
    NOT_FINISHED = 3
    UNKNOWN = -1

    @classmethod
    def parse(cls, raw: int | None) -> ObjectResult:
        try:
            return cls(raw) if raw is not None else cls.UNKNOWN
        except ValueError:
            return cls.UNKNOWN


# Row/value comparison numeric status (§4.6).
ROW_STATUS_TEXT: dict[int, str] = {
    0: "inconsistent",
    2: "consistent",
    3: "target table missing",
    4: "comparison failed",
    5: "comparing",
    6: "waiting",
    7: "cancelled",
    8: "source DB empty",
    9: "target DB empty",
    10: "source and target DB empty",
    11: "source table missing",
    12: "target table missing",
    13: "both tables missing",
    14: "source DB connection failed",
    15: "target DB connection failed",
    16: "source SQL timed out",
    17: "target SQL timed out",
    18: "source SQL error",
    19: "target SQL error",
    20: "neither source nor target DB exists",
    21: "source DB missing",
    22: "target DB missing",
    23: "table has 100 million rows or more, not compared",
    27: "timed out",
}

# Content-detail full-comparison phase (§4.6, a different small enum).
CONTENT_PHASE_TEXT: dict[int, str] = {1: "comparing", 2: "finished", 3: "waiting", 4: "cancelled"}


def row_status_text(code: int | None) -> str:
    if code is None:
        return "unknown"
    return ROW_STATUS_TEXT.get(code, f"unknown status {code}")


def content_phase_text(code: int | None) -> str:
    if code is None:
        return "unknown"
    return CONTENT_PHASE_TEXT.get(code, f"unknown phase {code}")


def split_types(raw: str | None) -> tuple[str, ...]:
    """Health-compare `type` may be comma-joined: "lines,object_comparison"."""
    if not raw:
        return ()
    return tuple(part.strip() for part in raw.split(",") if part.strip())


__all__ = [
    "CompareStatus",
    "ExportStatus",
    "JobStatusValue",
    "ObjectResult",
    "ROW_STATUS_TEXT",
    "CONTENT_PHASE_TEXT",
    "row_status_text",
    "content_phase_text",
    "split_types",
]
