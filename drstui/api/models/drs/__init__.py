"""DRS response and request models, by subject: jobs, creating comparisons, object and health
comparisons, data-level comparisons. Raw enum values are kept as strings; use the
`*_enum`/`result` properties for typed access. Everything is importable from here."""

from .create import (
    CONFLICT_POLICIES,
    DATA_COMPARE_TYPES,
    CompareCreateResult,
    CompareObjectInfo,
    CreateCompareTaskRequest,
    CreateCompareTaskResult,
    DataLevelCompareInfo,
)
from .data import (
    CompareJobInfo,
    CompareJobList,
    CompareProgress,
    ContentCompareDetail,
    ContentCompareOverview,
    ContentDetailRow,
    DbCompareRow,
    LineCompareDetail,
    LineCompareOverview,
    LineDetailRow,
)
from .jobs import Job, JobAction, JobDetail, JobEndpoint, JobList, JobProgress, JobStatus, JobStatusPage
from .objects import (
    HealthCompareJob,
    HealthCompareJobList,
    ObjectCompareDetail,
    ObjectCompareOverview,
    ObjectCompareRow,
    ObjectTypeResult,
    ReportState,
)

__all__ = [
    "JobAction", "Job", "JobList", "JobEndpoint", "JobProgress", "JobDetail", "JobStatus",
    "JobStatusPage",
    "CompareObjectInfo", "DataLevelCompareInfo", "CreateCompareTaskRequest", "CompareCreateResult",
    "CreateCompareTaskResult", "DATA_COMPARE_TYPES", "CONFLICT_POLICIES",
    "ObjectTypeResult", "ObjectCompareOverview", "ObjectCompareRow", "ObjectCompareDetail",
    "HealthCompareJob", "HealthCompareJobList", "ReportState",
    "CompareJobInfo", "CompareJobList", "DbCompareRow", "LineCompareOverview",
    "ContentCompareOverview", "LineDetailRow", "LineCompareDetail", "ContentDetailRow",
    "ContentCompareDetail", "CompareProgress",
]
