"""Atomic, never-overwriting file saving."""

from __future__ import annotations

import asyncio

import pytest

from drstui.api.files import (
    extension_for,
    filename_from_content_disposition,
    sanitize_filename,
    save_stream_atomically,
)


async def chunks(*parts: bytes):
    for part in parts:
        yield part


async def test_saves_and_never_overwrites(tmp_path):
    first = await save_stream_atomically(chunks(b"a", b"b"), tmp_path, "r.xlsx")
    second = await save_stream_atomically(chunks(b"c"), tmp_path, "r.xlsx")
    third = await save_stream_atomically(chunks(b"d"), tmp_path, "r.xlsx")
    assert [p.name for p in (first, second, third)] == ["r.xlsx", "r (1).xlsx", "r (2).xlsx"]
    assert first.read_bytes() == b"ab" and second.read_bytes() == b"c"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r (1).xlsx", "r (2).xlsx", "r.xlsx"]


async def test_interrupted_stream_leaves_nothing(tmp_path):
    async def broken():
        yield b"partial"
        raise ConnectionError("reset")

    with pytest.raises(ConnectionError):
        await save_stream_atomically(broken(), tmp_path, "r.xlsx")
    assert list(tmp_path.iterdir()) == []


async def test_cancelled_stream_leaves_nothing(tmp_path):
    started = asyncio.Event()

    async def slow():
        yield b"x"
        started.set()
        await asyncio.Event().wait()  # never finishes
        yield b"y"

    task = asyncio.create_task(save_stream_atomically(slow(), tmp_path, "r.xlsx"))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert list(tmp_path.iterdir()) == []


async def test_creates_dest_dir(tmp_path):
    path = await save_stream_atomically(chunks(b"x"), tmp_path / "a" / "b", "f.bin")
    assert path.read_bytes() == b"x"


@pytest.mark.parametrize("raw,expected", [
    ("../../etc/passwd", "passwd"), ("a\\b\\c.xlsx", "c.xlsx"), ("..", "fallback.bin"),
    ("", "fallback.bin"), (None, "fallback.bin"), ("re:port?.xlsx", "re_port_.xlsx"),
    (".hidden", "hidden"), ("a\x00b", "a_b"),
])
def test_sanitize(raw, expected):
    assert sanitize_filename(raw, "fallback.bin") == expected


def test_long_names_truncated_keep_extension():
    name = sanitize_filename("x" * 500 + ".xlsx", "f")
    assert len(name) <= 200 and name.endswith(".xlsx")


@pytest.mark.parametrize("header,expected", [
    ('attachment; filename="report.xlsx"', "report.xlsx"),
    ("attachment; filename*=UTF-8''r%C3%A9sultat.xlsx", "résultat.xlsx"),
    ("attachment", None), (None, None),
])
def test_content_disposition(header, expected):
    assert filename_from_content_disposition(header) == expected


def test_extension_for():
    assert extension_for("application/zip") == "zip"
    assert extension_for("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; x=y") == "xlsx"
    assert extension_for("application/octet-stream") == "bin"
    assert extension_for(None) == "bin"


def test_long_cjk_names_are_cut_in_bytes_and_still_save(tmp_path):
    """120 CJK characters are 360 bytes: over the 255-byte file name limit of every file system."""
    raw = "\u8ba2\u5355" * 60 + ".xlsx"
    name = sanitize_filename(raw, "f")
    assert len(name.encode("utf-8")) <= 200 and name.endswith(".xlsx")
    assert name.startswith("\u8ba2\u5355")  # whole characters, never half of one


async def test_long_cjk_name_saves_twice_without_enametoolong(tmp_path):
    raw = "\u8ba2\u5355" * 60 + ".xlsx"
    first = await save_stream_atomically(chunks(b"x"), tmp_path, raw)
    second = await save_stream_atomically(chunks(b"y"), tmp_path, raw)
    assert first.read_bytes() == b"x" and second.read_bytes() == b"y"
    assert second.name.endswith(" (1).xlsx")


@pytest.mark.parametrize("raw", [
    "\u202eslx.exe",            # right-to-left override: would read as "exe.xls"
    "report\x9b2J.xlsx",        # 8-bit CSI
    "a\u2066b\u2069c.xlsx",     # bidi isolates
    "a\x85b.xlsx",              # C1 next line
    "a\u2028b.xlsx",            # line separator
])
def test_bidi_and_c1_controls_never_reach_a_file_name(raw):
    name = sanitize_filename(raw, "f")
    assert not any(0x80 <= ord(c) <= 0x9f or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
                   for c in name), repr(name)
    assert name.replace("_", "")  # something readable is left


def test_the_extended_file_name_wins_over_the_plain_one():
    header = "attachment; filename=\"report.xlsx\"; filename*=UTF-8''%E8%AE%A2%E5%8D%95.xlsx"
    assert filename_from_content_disposition(header) == "\u8ba2\u5355.xlsx"
