"""Files and folders drstui writes are its user's alone: folders 0700, files 0600.

The cutover log, the log file, downloaded reports and written reports tell what was migrated,
where, and when; nobody else on a shared jump host needs to read them. Folders that already
exist are left as the user made them; the ones drstui creates (parents included) are private.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: str | os.PathLike[str]) -> Path:
    """`path` as a folder, creating it and any missing parent with mode 0700."""
    path = Path(path)
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def open_private(path: str | os.PathLike[str], mode: str = "a") -> IO[str]:
    """Open a text file for appending ("a"), writing ("w") or creating ("x": FileExistsError
    if it exists), readable by its owner only (an existing file is made so too)."""
    extra = {"a": os.O_APPEND, "w": os.O_TRUNC, "x": os.O_EXCL}[mode]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | extra, FILE_MODE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, FILE_MODE)
        return os.fdopen(fd, "w" if mode == "x" else mode, encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


def write_private_text(path: str | os.PathLike[str], text: str, *, replace: bool = True) -> None:
    """Write `text` to a 0600 file; with replace=False, FileExistsError if it exists."""
    with open_private(path, "w" if replace else "x") as out:
        out.write(text)
