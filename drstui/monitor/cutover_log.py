"""The cutover log: every Transition seen, one JSON line each, so the engineer can say
afterwards what happened when.

File: `platformdirs.user_state_dir("drstui")/cutover-YYYYMMDD.jsonl` (UTC date of each event),
or a fixed path given by the caller. Demo runs keep theirs under `.../drstui/demo/`: the log of a
real cutover never holds simulated events, so its events view never shows them. Opened in append mode and flushed after every line, so a
crash loses nothing already told. Keys are stable (documented in KEYS).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import platformdirs

from drstui.monitor.scope import Scope
from drstui.monitor.transition import Transition
from drstui.private_files import open_private, private_dir
from drstui.text import json_dumps

KEYS = ("time", "job_id", "job_name", "comparison_id", "kind", "old", "new", "counts", "severity", "message",
        "profile", "region", "project_id")


def default_directory(*, demo: bool = False) -> Path:
    """Where the day's logs go: the user's state directory, or its `demo` folder for demo runs."""
    state = Path(platformdirs.user_state_dir("drstui"))
    return state / "demo" if demo else state


def log_path_for(day: datetime, directory: Path | None = None) -> Path:
    return (directory or default_directory()) / f"cutover-{day.astimezone(timezone.utc):%Y%m%d}.jsonl"


def to_record(transition: Transition) -> dict[str, Any]:
    return {
        "time": _iso(transition.at),
        "job_id": transition.job_id,
        "job_name": transition.job_name,
        "comparison_id": transition.comparison_id,
        "kind": transition.kind,
        "old": transition.old,
        "new": transition.new,
        "counts": transition.counts,
        "severity": transition.severity,
        "message": transition.message,
        # Whose job: the same job id can exist in two projects watched together.
        **(transition.scope.as_dict() if transition.scope is not None else {}),
    }


def from_record(record: dict[str, Any]) -> Transition:
    return Transition(
        at=datetime.fromisoformat(str(record["time"]).replace("Z", "+00:00")),
        job_id=record.get("job_id"),
        job_name=record.get("job_name"),
        comparison_id=record.get("comparison_id"),
        kind=str(record.get("kind", "")),
        old=record.get("old"),
        new=record.get("new"),
        counts=record.get("counts") if isinstance(record.get("counts"), dict) else {},
        severity=str(record.get("severity", "info")),
        message=str(record.get("message", "")),
        scope=Scope.from_record(record),
    )


class CutoverLog:
    """Appends Transitions to the day's JSON-lines file. Writing never raises: a full disk
    must not stop the monitor, so the last error is kept in `last_error` for the UI to show."""

    def __init__(self, path: Path | None = None, *, directory: Path | None = None) -> None:
        self._fixed_path = Path(path) if path is not None else None
        self._directory = Path(directory) if directory is not None else None
        self._file: IO[str] | None = None
        self._open_path: Path | None = None
        self.last_error: str | None = None
        self.written = 0

    def path_for(self, at: datetime) -> Path:
        return self._fixed_path or log_path_for(at, self._directory)

    def append(self, transitions: Iterable[Transition]) -> None:
        for transition in transitions:
            try:
                handle = self._handle(self.path_for(transition.at))
                handle.write(json_dumps(to_record(transition), default=str) + "\n")
                handle.flush()
                self.written += 1
            except OSError as error:
                self.last_error = f"cutover log not written: {error.strerror or error}"
                self.close()

    def close(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except OSError:
                pass
        self._file = None
        self._open_path = None

    def _handle(self, path: Path) -> IO[str]:
        if self._file is None or self._open_path != path:
            self.close()
            private_dir(path.parent)
            self._file = open_private(path, "a")  # kept open on purpose; owner-only (0600)
            self._open_path = path
        return self._file

    def __enter__(self) -> CutoverLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_events(path: Path, limit: int | None = None) -> list[Transition]:
    """The Transitions in a cutover log, oldest first (the last `limit` if given).

    Lines that are not valid records (a line cut by a crash, a hand edit) are skipped.
    A missing file is an empty log.
    """
    events: list[Transition] = []
    for record in read_records(path):
        try:
            events.append(from_record(record))
        except (ValueError, KeyError, TypeError):
            continue
    return events[-limit:] if limit else events


def read_records(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a cutover log as they are (keys added by later versions kept),
    skipping lines that are not JSON objects. A missing file is an empty log."""
    if not os.path.exists(path):
        return []
    records: list[dict[str, Any]] = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                records.append(record)
    return records


def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


class CutoverLogReader(CutoverLog):
    """A cutover log that is read (the events view) but never written: for the browser
    viewers, whose transitions the monitor on the SRE's terminal already records, so N viewers
    do not append N copies of each line."""

    def append(self, transitions: Iterable[Transition]) -> None:
        return None
