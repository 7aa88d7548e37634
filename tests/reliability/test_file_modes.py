"""Everything drstui writes is its user's alone: folders it creates 0700 (parents too), files
0600, whatever the umask: the cutover log, the log file, downloads and written reports."""

from __future__ import annotations

import logging
import os
import stat
from datetime import datetime, timezone

import pytest

from drstui.api.files import save_stream_atomically
from drstui.logs import setup_logging, shutdown_logging
from drstui.monitor.changes import Transition
from drstui.monitor.cutover_log import CutoverLog
from drstui.report.command import write

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


@pytest.fixture(autouse=True)
def open_umask():
    old = os.umask(0o022)  # the usual umask: would give 0755 folders and 0644 files
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def assert_private_tree(root, leaf_dir) -> None:
    current = leaf_dir
    while current != root:
        assert mode(current) == 0o700, (current, oct(mode(current)))
        current = current.parent


def test_cutover_log_is_private_in_private_folders(tmp_path):
    folder = tmp_path / "state" / "drstui"
    transition = Transition(datetime(2026, 1, 2, tzinfo=timezone.utc), "job-1", "orders", None,
                            "job_status", "A", "B", message="orders: A → B")
    with CutoverLog(directory=folder) as log:
        log.append([transition])
    files = list(folder.glob("*.jsonl"))
    assert files and all(mode(path) == 0o600 for path in files)
    assert_private_tree(tmp_path, folder)


def test_an_existing_cutover_log_open_to_others_is_made_private(tmp_path):
    transition = Transition(datetime(2026, 1, 2, tzinfo=timezone.utc), "job-1", "orders", None,
                            "job_status", "A", "B", message="m")
    with CutoverLog(directory=tmp_path) as log:
        path = log.path_for(transition.at)
        path.write_text("")
        path.chmod(0o644)
        log.append([transition])
    assert mode(path) == 0o600


async def test_downloads_are_private_in_private_folders(tmp_path):
    folder = tmp_path / "Downloads" / "drstui"

    async def body():
        yield b"PK"

    saved = await save_stream_atomically(body(), folder, "report.xlsx")
    assert mode(saved) == 0o600
    assert_private_tree(tmp_path, folder)


def test_log_file_is_private_in_private_folders(tmp_path):
    log_file = tmp_path / "state" / "drstui" / "log" / "drstui.log"
    setup_logging(log_file)
    try:
        logging.getLogger("drstui.test").warning("hello")
    finally:
        shutdown_logging()
    assert mode(log_file) == 0o600
    assert_private_tree(tmp_path, log_file.parent)


def test_written_report_is_private(tmp_path, capsys):
    target = tmp_path / "report.html"
    assert write("<html></html>", str(target), tmp_path / "unused.html") == 0
    assert mode(target) == 0o600
