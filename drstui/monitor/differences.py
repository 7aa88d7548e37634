"""Row-level differences of a value comparison (v3 content-difference), as the UI shows them,
and the SQL file that lets an engineer check them by hand.

Pure data and two reads; the file is written atomically and never over an existing one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drstui.api.files import save_stream_atomically
from drstui.monitor import reasons
from drstui.monitor.source import MonitorError
from drstui.text import short_id

PAGE_ROWS = 50  # rows per screen page
FILE_PAGE = 1000  # the API's maximum page, used when collecting every row for the SQL file
FILE_MAX_ROWS = 20_000  # a bound on what one file collects (the count says how many exist)


@dataclass(frozen=True)
class DifferenceLine:
    """One differing row: where it exists, its key, and the SQL that selects it on each side."""

    kind: str  # "only in source" | "only in target" | "different"
    key: str
    source_sql: str
    target_sql: str


@dataclass(frozen=True)
class DifferencePage:
    """One page of the differing rows of one table, with the counts for the whole table."""

    job_id: str
    compare_job_id: str
    db_name: str
    table_name: str
    offset: int
    limit: int
    total: int  # differing rows in the table (the API's count)
    only_in_source: int | None
    only_in_target: int | None
    different: int | None
    rows: tuple[DifferenceLine, ...] = ()

    @property
    def page_number(self) -> int:
        return self.offset // self.limit + 1

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.limit))

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.rows) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


def _lines(answer: Any) -> tuple[DifferenceLine, ...]:
    return tuple(
        DifferenceLine(row.kind, row.key_text, row.select_sql or "", row.target_select_sql or "")
        for row in answer.rows
    )


async def read_page(drs: Any, job_id: str, compare_job_id: str, db_name: str, table_name: str,
                    offset: int = 0, limit: int = PAGE_ROWS) -> DifferencePage:
    """One page; MonitorError (one line, no secrets) when it cannot be read."""
    try:
        answer = await drs.content_difference(job_id, compare_job_id, db_name=db_name,
                                              table_name=table_name, limit=limit, offset=offset)
    except Exception as error:
        raise MonitorError(f"differences of {db_name}.{table_name} not loaded: "
                           f"{reasons.describe(error)}") from None
    rows = _lines(answer)
    total = answer.count if answer.count is not None else offset + len(rows)
    return DifferencePage(job_id, compare_job_id, db_name, table_name, offset, limit, total,
                          answer.only_in_source, answer.only_in_target, answer.different, rows)


async def read_all(drs: Any, page: DifferencePage, max_rows: int = FILE_MAX_ROWS) -> tuple[DifferenceLine, ...]:
    """Every differing row of the page's table (at most `max_rows`), in pages of 1000."""
    rows: list[DifferenceLine] = []
    while len(rows) < min(page.total, max_rows):
        got = await read_page(drs, page.job_id, page.compare_job_id, page.db_name, page.table_name,
                              offset=len(rows), limit=min(FILE_PAGE, max_rows - len(rows)))
        if not got.rows:
            break
        rows.extend(got.rows)
    return tuple(rows)


def sql_text(job_name: str, page: DifferencePage, rows: tuple[DifferenceLine, ...]) -> str:
    """A script of the SELECTs that show each differing row on each side (nothing that writes)."""
    head = [
        f"-- drstui: rows that differ in value comparison {page.compare_job_id}",
        f"-- job {_one_line(job_name)} ({page.job_id}), table {_one_line(page.db_name)}.{_one_line(page.table_name)}",
        f"-- {page.total} differing rows: {page.only_in_source or 0} only in source, "
        f"{page.only_in_target or 0} only in target, {page.different or 0} different",
    ]
    if len(rows) < page.total:
        head.append(f"-- this file holds the first {len(rows)} of them")
    body: list[str] = []
    for row in rows:
        body.append(f"\n-- key {_one_line(row.key)} ({row.kind})")
        if row.source_sql:
            body.append(f"-- on the source:\n{_statement(row.source_sql)}")
        if row.target_sql:
            body.append(f"-- on the target:\n{_statement(row.target_sql)}")
    return "\n".join(head + body) + "\n"


def sql_filename(page: DifferencePage) -> str:
    return f"differences-{page.db_name}.{page.table_name}-{short_id(page.compare_job_id)}.sql"


async def save_sql(directory: Path, filename: str, text: str) -> Path:
    """Write `text` into `directory` under `filename` (a suffix is added if it exists)."""

    async def one_chunk() -> AsyncIterator[bytes]:
        yield text.encode("utf-8")

    try:
        return await save_stream_atomically(one_chunk(), directory, filename)
    except OSError as error:
        raise MonitorError(f"SQL file not written to {directory}: {error.strerror or error}") from None


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _printable(text: str) -> str:
    # Terminal controls in a file someone will `cat` are dropped; the text itself is kept.
    return "".join(ch for ch in text if ch in "\t\n" or (
        ord(ch) >= 32 and not 127 <= ord(ch) < 160 and ch not in _BIDI))


def _one_line(value: str) -> str:
    return " ".join(_printable(str(value)).split())


def _statement(sql: str) -> str:
    kept = _printable(sql.strip())
    return kept if kept.endswith(";") else kept + ";"


class DifferenceReader:
    """The reads above bound to one DRS client (the Monitor offers one as `differences`)."""

    def __init__(self, drs: Any) -> None:
        self._drs = drs

    async def page(self, job_id: str, compare_job_id: str, db_name: str, table_name: str,
                   offset: int = 0, limit: int = PAGE_ROWS) -> DifferencePage:
        return await read_page(self._drs, job_id, compare_job_id, db_name, table_name, offset, limit)

    async def all_rows(self, page: DifferencePage) -> tuple[DifferenceLine, ...]:
        return await read_all(self._drs, page)
