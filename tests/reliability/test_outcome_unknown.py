"""When the answer to a create or export is lost after the simulator acted, the app says
"outcome unknown" (never "not created" / "not started"), refuses to re-send until a refresh has
looked, and finds the result on the next refresh: the new comparison is listed, the export is
followed to a saved file."""

from __future__ import annotations

import httpx
import pytest

from drstui.api.models import CreateCompareTaskRequest, DataLevelCompareInfo
from drstui.api.models.drs import CompareObjectInfo
from drstui.monitor.action_types import ActionRefused
from drstui.monitor.actions import Actions
from drstui.monitor.errors import OutcomeUnknown
from drstui.monitor.exports import SAVED

from .rig import ORDERS_SYNC, ReliabilityRig


class LosesAnswers(httpx.AsyncBaseTransport):
    """Passes requests to the simulator; the answer to a POST whose path ends with one of
    `lose` is thrown away after the simulator handled it (the connection drops)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.lose: tuple[str, ...] = ()
        self.lost = 0
        self.server_never_sees_it = False  # the request itself was lost on the way

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if (self.server_never_sees_it and request.method == "POST"
                and request.url.path.endswith(self.lose)):
            raise httpx.ReadError("connection reset by peer (request lost on the way)")
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and request.url.path.endswith(self.lose):
            await response.aread()
            self.lost += 1
            raise httpx.ReadError("connection reset by peer (answer lost after the server acted)")
        return response


def comparison_ids(snapshot, job_id: str) -> set[str]:
    job = snapshot.job(job_id)
    ids = {dc.id for dc in job.data_comparisons}
    if job.object_comparison is not None:
        ids.add(job.object_comparison.compare_job_id)
    return ids


async def test_a_created_comparison_whose_answer_is_lost_is_found_not_resent(tmp_path):
    rig = ReliabilityRig(tmp_path, wrap_transport=LosesAnswers)
    actions = Actions(rig.cloud, rig.monitor, rig.exports)
    rig.client_transport.lose = ("/create-compare-task",)
    try:
        before = comparison_ids(await rig.monitor.refresh(), ORDERS_SYNC)
        request = CreateCompareTaskRequest(
            ORDERS_SYNC, data_level=DataLevelCompareInfo(
                "lines", compare_object_infos=(CompareObjectInfo("orders"),)))
        with pytest.raises(OutcomeUnknown) as caught:
            await actions.create_comparison(request)
        message = str(caught.value)
        assert message.startswith("outcome unknown:") and "not created" not in message
        assert "do not send it again" in message
        assert rig.client_transport.lost == 1
        assert rig.core.count("drs.create_compare_task") == 1  # the simulator did create it

        # Sending again now (e.g. with the `cancel` policy) could undo it: refused, nothing sent.
        with pytest.raises(ActionRefused, match="may have been created"):
            await actions.create_comparison(request)
        assert rig.core.count("drs.create_compare_task") == 1

        # The next refresh shows the comparison; sending is allowed again.
        rig.advance(5)
        after = comparison_ids(await rig.monitor.refresh(), ORDERS_SYNC)
        assert after - before, "the comparison created on the server should now be listed"
        actions.check_comparison(request)
    finally:
        await rig.aclose()


async def test_an_export_whose_answer_is_lost_is_followed_to_its_file(tmp_path):
    rig = ReliabilityRig(tmp_path, wrap_transport=LosesAnswers)
    actions = Actions(rig.cloud, rig.monitor, rig.exports)
    rig.client_transport.lose = ("/compare/result/file",)
    try:
        await rig.monitor.refresh()
        record = await actions.start_drs_export(ORDERS_SYNC, "objects_comparison")
        assert record.message and record.message.startswith("outcome unknown")
        assert "not started" not in record.message
        assert rig.core.count("drs.export_result_file") == 1
        # A repeated key press does not send it again while we look for it.
        with pytest.raises(Exception, match="already running"):
            await actions.start_drs_export(ORDERS_SYNC, "objects_comparison")
        rig.advance(10)  # the simulator needs 5 s to generate the report
        for _ in range(3):
            await rig.monitor.refresh()
            await rig.exports.wait_idle()
            rig.advance(5)
        saved = (await rig.monitor.refresh()).exports[0]
        assert saved.status == SAVED and saved.saved_path
        assert rig.core.count("drs.export_result_file") == 1
    finally:
        await rig.aclose()


async def test_an_export_that_never_shows_up_is_given_up_and_may_be_sent_again(tmp_path):
    rig = ReliabilityRig(tmp_path, wrap_transport=LosesAnswers)
    actions = Actions(rig.cloud, rig.monitor, rig.exports)
    rig.client_transport.lose = ("/compare/result/file",)
    rig.client_transport.server_never_sees_it = True
    try:
        await rig.monitor.refresh()
        record = await actions.start_drs_export(ORDERS_SYNC, "objects_comparison")
        assert record.message.startswith("outcome unknown")
        assert rig.core.count("drs.export_result_file") == 0
        for _ in range(3):
            rig.advance(5)
            await rig.monitor.refresh()
        final = (await rig.monitor.refresh()).exports[0]
        assert final.status == "failed" and "no sign of it" in final.message
        actions.check_drs_export(ORDERS_SYNC, "objects_comparison")  # may be sent again
    finally:
        await rig.aclose()
