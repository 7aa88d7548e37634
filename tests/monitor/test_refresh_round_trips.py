"""A refresh asks for the replication figures (progress, links, DDLs) at the same time as the
comparisons, not after them: both need only the job list."""

from __future__ import annotations

import asyncio

from drstui.monitor.snapshot import LinkState

from .sim_rig import make_rig

HOLD_LIMIT = 10.0  # seconds; only reached when the replication reads wait for the comparisons


async def test_replication_reads_go_out_beside_the_comparison_reads(tmp_path):
    rig = make_rig(tmp_path)
    progress_asked = asyncio.Event()
    original = rig.transport.handle_async_request
    held = []

    async def handle(request):
        path = request.url.path
        if path.endswith("/batch-progress"):
            progress_asked.set()
        elif path.endswith("/object/compare"):
            # Comparison answers wait for the progress request to be sent.
            held.append(path)
            await asyncio.wait_for(progress_asked.wait(), HOLD_LIMIT)
        return await original(request)

    rig.transport.handle_async_request = handle
    try:
        snapshot = await rig.monitor.refresh()
        assert snapshot.connection.state == LinkState.OK
        assert held  # comparisons were asked for, and answered once progress was on its way
        assert not [problem for job in snapshot.jobs for problem in job.problems]  # none timed out
        replicating = [job for job in snapshot.jobs if job.status == "INCRE_TRANSFER_STARTED"]
        assert replicating and all(job.replication is not None and job.replication.lag_ms is not None
                                   for job in replicating)
        assert all(job.readiness is not None for job in snapshot.jobs if job.replication is not None)
    finally:
        await rig.aclose()
