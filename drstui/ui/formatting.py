"""Plain-text formatting of times, ages, counts and ids for the screen.

Everything here is a pure function of its arguments (the clock is passed in), so the screen is
reproducible in tests.
"""

from __future__ import annotations

import os

from datetime import datetime, timezone

from drstui.logs import redact
from drstui.text import short_id as id_prefix

DASH = "—"  # shown where a value is unknown or not applicable


def now_utc() -> datetime:
    """The default clock of the app (tests inject a fixed one)."""
    return datetime.now(timezone.utc)


def human_duration(seconds: float | None) -> str:
    """3s, 2m05s, 1h02m, 3d04h: short enough for a table cell, precise enough for a glance."""
    if seconds is None:
        return DASH
    total = max(0, int(seconds))
    if total < 60:
        return f"{total}s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"


def clock_time(moment: datetime | None) -> str:
    """HH:MM:SS in the local time zone (the header and "since" texts)."""
    if moment is None:
        return DASH
    return _local(moment).strftime("%H:%M:%S")


def date_time(moment: datetime | None) -> str:
    """YYYY-MM-DD HH:MM:SS in the local time zone (table cells)."""
    if moment is None:
        return DASH
    return _local(moment).strftime("%Y-%m-%d %H:%M:%S")


def short_date_time(moment: datetime | None) -> str:
    """MM-DD HH:MM:SS: table cells where the year is obvious."""
    if moment is None:
        return DASH
    return _local(moment).strftime("%m-%d %H:%M:%S")


def _local(moment: datetime) -> datetime:
    # Naive datetimes are taken as UTC: the API speaks UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone()


def count(value: int | None) -> str:
    """1,234 or a dash."""
    return DASH if value is None else f"{value:,}"


def signed_difference(value: int | None) -> str:
    """+3 / -2 / 0 or a dash: the sign says which side has more."""
    if value is None:
        return DASH
    return f"{value:+,}" if value else "0"


def short_id(identifier: str | None, keep: int = 8) -> str:
    """The first characters of a long id, enough to recognise it."""
    if not identifier:
        return DASH
    return identifier if len(identifier) <= keep + 1 else id_prefix(identifier, keep) + "…"


def middle_ellipsis(text: str, limit: int, *, end_share: float = 2 / 3) -> str:
    """Cut the middle of a long text, keeping its start and its end: a path keeps more of its
    end (the file name), a job name half and half (`DRS-bi…e-002`)."""
    if len(text) <= limit:
        return text
    if limit < 2:
        return "…"[:limit]
    tail = int((limit - 1) * end_share)
    return text[: limit - 1 - tail] + "…" + text[len(text) - tail:]


def home_relative(path: str) -> str:
    """`~/…` for paths under the home directory: shorter, and says the same."""
    home = os.path.expanduser("~")
    if home not in ("", "~", "/") and (path == home or path.startswith(home + os.sep)):
        return "~" + path[len(home):]
    return path


def one_line(text: str | None, limit: int = 80) -> str:
    """Collapse whitespace and cut to `limit` characters, marking the cut (secrets are masked
    before the cut, so half a secret never survives it)."""
    if not text:
        return ""
    flat = " ".join(redact(text).split())
    return flat if len(flat) <= limit else flat[: max(0, limit - 1)] + "…"


def remaining_seconds(
    report_remain_seconds: int | None, as_of: datetime | None, now: datetime
) -> float | None:
    """Seconds left before a report file expires, counted down from when it was read.

    None means "no report" (the API sends -1) or unknown.
    """
    if report_remain_seconds is None or report_remain_seconds < 0:
        return None
    if as_of is None:
        return float(report_remain_seconds)
    return report_remain_seconds - max(0.0, (now - as_of).total_seconds())
