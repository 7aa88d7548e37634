"""The monitor layer's error, importable from every side (sources, trackers, the UI)."""


class MonitorError(Exception):
    """A one-line, secret-free explanation of why something could not be loaded."""


class OutcomeUnknown(MonitorError):
    """An action's request may have reached the server, but its answer was lost: the action
    may have happened. It is looked up on the next refresh, never re-sent blindly."""


def outcome_unknown(error: BaseException) -> bool:
    """True if `error` (from the API layer) says an action's request may have been acted on."""
    return bool(getattr(error, "outcome_unknown", False))
