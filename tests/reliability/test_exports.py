"""Exports end to end on the simulator: an interrupted download leaves no partial file under the
final name (nor a stray temp file), and a repeated export of the same comparison is refused."""

from __future__ import annotations

import httpx
import pytest

from drstui.monitor.actions import Actions
from drstui.monitor.exports import DOWNLOAD_FAILED, SAVED, ExportRefused

from .rig import ORDERS_SYNC, ReliabilityRig

DOWNLOAD_GLOB = "/v3/*/jobs/*/compare/result/file"


class BreaksMidBody(httpx.AsyncBaseTransport):
    """Passes requests to the simulator; a download's body breaks off after half its bytes."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.broken = True
        self.cut = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if not (self.broken and request.method == "GET" and request.url.path.endswith("/compare/result/file")):
            return response
        body = await response.aread()
        self.cut += 1

        class Broken(httpx.AsyncByteStream):
            async def __aiter__(self):
                yield body[: max(1, len(body) // 2)]
                raise httpx.ReadError("connection reset by peer (injected mid-download)")

        return httpx.Response(response.status_code, headers=response.headers, stream=Broken())


def files_in(directory) -> list[str]:
    return sorted(p.name for p in directory.rglob("*")) if directory.exists() else []


async def _export_until_complete(rig: ReliabilityRig, actions: Actions) -> None:
    await rig.monitor.refresh()
    await actions.start_drs_export(ORDERS_SYNC, "objects_comparison")
    rig.advance(10)  # the simulator needs 5 s to generate the report


@pytest.mark.parametrize("how", ["dropped-before-answer", "broken-mid-body"])
async def test_interrupted_download_leaves_no_partial_file(tmp_path, how):
    wrapper = BreaksMidBody if how == "broken-mid-body" else None
    rig = ReliabilityRig(tmp_path, wrap_transport=wrapper)
    actions = Actions(rig.cloud, rig.monitor, rig.exports)
    try:
        await _export_until_complete(rig, actions)
        if how == "dropped-before-answer":
            rig.core.faults.add(f"drop=1@{DOWNLOAD_GLOB}")
        for _ in range(4):
            await rig.monitor.refresh()
            await rig.exports.wait_idle()
            rig.advance(5)
        record = (await rig.monitor.refresh()).exports[0]
        assert record.status == DOWNLOAD_FAILED and record.message
        assert rig.core.count("drs.download_result_file") >= 1
        assert files_in(rig.exports.download_dir) == []  # nothing under any name

        # The link heals; asking again gives one complete file.
        rig.core.faults.clear()
        if wrapper:
            assert rig.client_transport.cut >= 1  # the body really broke off mid-download
            rig.client_transport.broken = False
        await _export_until_complete(rig, actions)
        for _ in range(3):
            await rig.monitor.refresh()
            await rig.exports.wait_idle()
            rig.advance(5)
        saved = (await rig.monitor.refresh()).exports[0]
        assert saved.status == SAVED and saved.saved_path
        assert files_in(rig.exports.download_dir) == [saved.saved_path.rsplit("/", 1)[-1]]
    finally:
        await rig.aclose()


async def test_repeated_export_while_one_runs_is_refused_and_sent_once(tmp_path):
    rig = ReliabilityRig(tmp_path)
    actions = Actions(rig.cloud, rig.monitor, rig.exports)
    try:
        await rig.monitor.refresh()
        await actions.start_drs_export(ORDERS_SYNC, "objects_comparison")
        for _ in range(5):  # impatient key presses, also across refreshes
            with pytest.raises(ExportRefused, match="already running"):
                await actions.start_drs_export(ORDERS_SYNC, "objects_comparison")
            await rig.monitor.refresh()
        assert rig.core.count("drs.export_result_file") == 1
    finally:
        await rig.aclose()
