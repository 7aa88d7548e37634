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
