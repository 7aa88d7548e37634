"""Names of the parts of a job that are fetched (and can fail) separately.

They prefix JobView.problems ("object compare: timeout"), so they are user-facing text.
"""

OBJECT_COMPARE = "object compare"
DATA_COMPARE_LIST = "data compare list"
ROW_COMPARE = "row compare"
VALUE_COMPARE = "value compare"
HEALTH_COMPARE = "health compare"


def problem(part: str, reason: str) -> str:
    return f"{part}: {reason}"


def failed_parts(problems: tuple[str, ...]) -> set[str]:
    return {entry.split(":", 1)[0] for entry in problems}
