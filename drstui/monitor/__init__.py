"""The monitor layer: API answers -> immutable Snapshots, and what changed between them.

snapshot.py / source.py   the contract with the UI (Snapshot, MonitorSource, MonitorError)
poller.py                 Monitor: one refresh -> one Snapshot; last good data, backoff, auth stop
job_reader.py             one job's comparisons per refresh, remembered and cached
classify.py / convert.py  API enums and models -> verdicts, results, Snapshot parts
link.py / reasons.py      connection state and retry delay; one-line, secret-free reasons
changes.py                transitions(old, new): what is worth telling
cutover_log.py / trend.py the JSON-lines cutover log; per-job object-count history
exports.py / actions.py   ExportTracker (follow, download once); validated user actions
"""
