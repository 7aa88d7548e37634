"""Flags of `drstui report` and how `--since` / `--until` are read.

Kept free of heavy imports: the CLI parser imports it on every run.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta, timezone

from drstui.config import parse_duration

FORMATS = ("html", "md")


def parse_when(text: str, now: datetime) -> datetime:
    """`2026-12-01`, `2026-12-01T08:00`, `2026-12-01T08:00:00Z` (no zone: UTC), or a duration
    before `now` such as `90m` or `6h`."""
    text = text.strip()
    try:
        return now - timedelta(seconds=parse_duration(text))
    except ValueError:
        pass
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not a time: {text!r} (e.g. 2026-12-01T08:00Z, 2026-12-01 or 6h)") from None
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def _when(text: str) -> str:
    parse_when(text, datetime.now(timezone.utc))  # checked now, resolved against the run's clock
    return text


def add_report_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", dest="report_format", choices=FORMATS, default="html",
                        help="html (default: one file, no external assets) or md (Markdown)")
    parser.add_argument("--output", "-o", metavar="FILE", default=None,
                        help="where to write (default: cutover-report-<UTC time>.<format> in the "
                             "current directory; '-' for standard output)")
    parser.add_argument("--since", type=_when, default=None, metavar="TIME",
                        help="start of the window: ISO time or date (UTC unless a zone is "
                             "given), or a duration back from now like 6h (default: 24h)")
    parser.add_argument("--until", type=_when, default=None, metavar="TIME",
                        help="end of the window (default: now)")
    parser.add_argument("--offline", action="store_true",
                        help="only the cutover log: no API call, no credentials needed")
    parser.add_argument("--log-dir", metavar="DIR", default=None,
                        help="folder of the cutover-YYYYMMDD.jsonl files (default: drstui's "
                             "state folder)")
