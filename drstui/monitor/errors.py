"""The monitor layer's error, importable from every side (sources, trackers, the UI)."""


class MonitorError(Exception):
    """A one-line, secret-free explanation of why something could not be loaded."""
