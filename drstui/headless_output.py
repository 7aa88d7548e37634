"""How headless commands write: one redacted, flushed line at a time, in any stream encoding."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import IO

from drstui.headless_format import iso
from drstui.logs import redact
from drstui.monitor.snapshot import Snapshot
from drstui.text import visible


def unknown_jobs_message(snapshot: Snapshot, unknown: Sequence[str], command: str) -> str:
    """The stderr line for `--job` ids that name no job of the snapshot."""
    where = f"project {snapshot.project_id} ({snapshot.region})" if snapshot.project_id else snapshot.region
    return (f"drstui {command}: unknown job id{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}: no such DRS job in {where} "
            f"(run 'drstui snapshot' without --job to list the jobs)")


def say_at(out: IO[str], at: datetime, text: str) -> None:
    say(out, f"{iso(at)} {text}")


def say(out: IO[str], text: str) -> None:
    write(out, visible(redact(text)) + "\n")  # one line each: names cannot add lines or escapes
    try:
        out.flush()  # a cron log or a pipe sees each line as it happens
    except (OSError, ValueError):
        pass


def write(out: IO[str], text: str) -> None:
    """Write `text`, falling back to ASCII arrows where the stream cannot encode it."""
    encoding = getattr(out, "encoding", None)
    if encoding:
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            text = text.replace("→", "->").replace("…", "...")
            text = text.encode(encoding, "replace").decode(encoding)
        except LookupError:
            pass
    out.write(text)
