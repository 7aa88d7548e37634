"""Scopes: which (profile, region, project) a job, an export or a transition belongs to.

One Monitor watches one scope and makes one Snapshot of it. With several scopes in one view
the UI keeps each scope's newest Snapshot and shows them together (combine.py): every job and
export then carries its scope, and is known by (scope, id), since the same job id may exist in
two projects. A single-scope view leaves `scope` unset on jobs, so its keys are the bare ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any



@dataclass(frozen=True, order=True)
class Scope:
    profile: str
    region: str
    project_id: str

    @property
    def key(self) -> str:
        """Stable text form, used in row keys: `profile/region/project_id`."""
        return f"{self.profile}/{self.region}/{self.project_id}"

    @property
    def label(self) -> str:
        """What the header and the Scope column show: the profile name (else the region)."""
        return self.profile or self.region or self.project_id or "?"

    def as_dict(self) -> dict[str, str]:
        return {"profile": self.profile, "region": self.region, "project_id": self.project_id}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Scope | None:
        """The scope named by a cutover-log line or a JSON document (None: it names none)."""
        values = [record.get(k) for k in ("profile", "region", "project_id")]
        if not any(isinstance(v, str) and v for v in values):
            return None
        return cls(*(v if isinstance(v, str) else "" for v in values))


def scoped_key(scope: Scope | None, job_id: str) -> str:
    """How a job is known in a view: its id alone (one scope) or (scope, id)."""
    return job_id if scope is None else f"{scope.key}#{job_id}"
