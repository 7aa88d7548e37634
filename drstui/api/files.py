"""Saving downloaded files: atomically, never overwriting, never leaving half a file behind."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import AsyncIterable
from email.message import Message
from email.utils import collapse_rfc2231_value
from pathlib import Path

from drstui.private_files import private_dir

# Path separators and characters Windows refuses, C0/DEL/C1 controls (U+009B is an 8-bit CSI),
# bidirectional controls (U+202E makes `evil\u202excsl.exe` read as `evil.exe` reversed),
# line separators and lone surrogates.
_UNSAFE = re.compile(
    '[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029'
    '\ud800-\udfff]+'
)
# File systems limit a name to 255 *bytes*; leave room for a " (9999)" suffix.
MAX_NAME_BYTES = 200

CONTENT_TYPE_EXTENSIONS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel": "xls",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "text/csv": "csv",
    "application/json": "json",
    "text/plain": "txt",
}


def sanitize_filename(name: str | None, fallback: str) -> str:
    """A plain file name: no directories, no control or reserved characters, no leading dots."""
    if name:
        name = name.replace("\\", "/").rsplit("/", 1)[-1]  # drop any directory part
        name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if not name:
        name = fallback
    if _size(name) > MAX_NAME_BYTES:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) < 16 and _size(ext) < 16:
            name = _cut(stem, MAX_NAME_BYTES - _size(ext) - 1).rstrip() + "." + ext
        else:
            name = _cut(name, MAX_NAME_BYTES)
    return name


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _cut(text: str, limit: int) -> str:
    """The longest start of `text` that is at most `limit` bytes in UTF-8 (whole characters)."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def filename_from_content_disposition(header: str | None) -> str | None:
    """The file name offered by a Content-Disposition header (filename* preferred), unsanitised."""
    if not header:
        return None
    msg = Message()
    msg["content-disposition"] = header
    try:
        params = msg.get_params(header="content-disposition") or []
        # filename* (RFC 2231/5987, any charset) comes back as a tuple: it wins over filename.
        extended = [value for key, value in params if key.lower() == "filename" and isinstance(value, tuple)]
        if extended:
            name = collapse_rfc2231_value(extended[0])
        else:
            name = msg.get_filename()
    except (ValueError, LookupError, TypeError):
        return None
    return name or None


def extension_for(content_type: str | None, default: str = "bin") -> str:
    if not content_type:
        return default
    base = content_type.split(";", 1)[0].strip().lower()
    return CONTENT_TYPE_EXTENSIONS.get(base, default)


def offered_extension(name: str | None) -> str | None:
    """The extension of an offered file name, if it looks like one (`xlsx`, `zip`…)."""
    stem, dot, ext = (name or "").rpartition(".")
    if dot and stem and ext.isascii() and ext.isalnum() and len(ext) <= 8:
        return ext.lower()
    return None


def _candidates(dest_dir: Path, filename: str):
    stem, dot, ext = filename.rpartition(".")
    if not dot or not stem:
        stem, ext = filename, ""
    suffix = f".{ext}" if ext else ""
    yield dest_dir / filename
    for n in range(1, 10_000):
        yield dest_dir / f"{stem} ({n}){suffix}"
    raise FileExistsError(f"too many files named like {filename!r} in {dest_dir}")


def _claim_final_name(temp: Path, dest_dir: Path, filename: str) -> Path:
    """Move `temp` to the first free name; never replaces an existing file."""
    for candidate in _candidates(dest_dir, filename):
        try:
            os.link(temp, candidate)  # fails if candidate exists: atomic no-overwrite
        except FileExistsError:
            continue
        except OSError:
            # Filesystem without hard links: check-then-rename (small race, still no clobber
            # of files that existed before we started).
            if candidate.exists():
                continue
            os.replace(temp, candidate)
            return candidate
        temp.unlink()
        return candidate
    raise FileExistsError(filename)  # pragma: no cover - _candidates raises first


async def save_stream_atomically(chunks: AsyncIterable[bytes], dest_dir: str | os.PathLike,
                                 filename: str) -> Path:
    """Write `chunks` to a temp file in `dest_dir`, fsync, then give it its final name
    (adding " (1)", " (2)"… if taken). If the stream fails or is cancelled, the temp file
    is removed and nothing appears under the final name."""
    directory = Path(dest_dir)
    private_dir(directory)  # created 0700; the file itself is 0600 (mkstemp)
    name = sanitize_filename(filename, "download.bin")
    fd, temp_name = tempfile.mkstemp(prefix=".drstui-", suffix=".part", dir=directory)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            async for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        final = _claim_final_name(temp, directory, name)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(directory)
    return final


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
