"""Hostile names: a world whose names and messages try to break the client that shows them.

`drstui sim --hostile-names` (or `WorldSettings.hostile_names`) renames, after the world is
built, every DRS job, table and compared object, every SMS task and source server, and the error
message of failed jobs, cycling through `HOSTILE_TEXTS`: Rich/Textual markup (`[/]` raises
when parsed, `[@click=…]` is an action), terminal escapes (OSC 2 window title, OSC 52
clipboard, a CSI cursor move that overwrites the header, the 8-bit CSI U+009B), a bidi override,
and a long CJK name (120 characters, 360 bytes in UTF-8). The ids, statuses and timelines stay
those of the same seed, so a test can find its jobs by id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .world import World

HOSTILE_TEXTS = (
    "a[/]b",
    "[@click=app.quit]X[/]",
    "x[/]",
    "\x1b]2;pwned\x07title",
    "\x1b]52;c;cHduZWQ=\x07clip",
    "\x1b[1;1H\u2714 consistent",
    "\x9b2Jcsi",
    "\u202eevil\u202c.xlsx",
    "[bold red]not bold[/]",
    "\u8ba2\u5355" * 60,
)


def hostile(index: int) -> str:
    return HOSTILE_TEXTS[index % len(HOSTILE_TEXTS)]


def make_hostile(world: World) -> None:
    """Rename everything people read (in place); each kind of name cycles through every text."""
    jobs = list(world.project.jobs.values())
    for index, job in enumerate(jobs):
        job.name = hostile(index)
        if job.error_message:
            job.error_message = f"Invalid parameter [compare_type]: see [/]docs {hostile(index + 1)}"
    tables = [table for job in jobs for table in job.tables]
    for index, table in enumerate(tables):
        table.name = hostile(index + 1)
    rows = [row for job in jobs for comparison in job.comparisons for result in comparison.types
            for row in result.rows if row.source_value]
    for index, row in enumerate(rows):
        row.source_value = hostile(index + 2)
        if row.target_value:
            row.target_value = row.source_value
    for index, task in enumerate(world.sms_tasks.values()):
        task.name = hostile(index + 3)
        task.source.name = hostile(index + 4)
