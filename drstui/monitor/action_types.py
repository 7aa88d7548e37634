"""What every action shares: the refusal, the request preview, the read-only message.

Kept apart from `actions` so the action mixins (`compare_actions`) and `actions` itself can
both import them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from drstui.monitor.source import MonitorError

JSON_CONTENT_TYPE = "application/json"
READ_ONLY_MESSAGE = "drstui is in read-only mode: {what} is disabled (start without --read-only to allow it)"


class ActionRefused(MonitorError):
    """An action that was not sent because it would be refused or is not allowed."""


@dataclass(frozen=True)
class RequestPreview:
    """One request exactly as it will be sent (never with credentials: those are added by the
    API layer's auth and are not part of what the user decides on)."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: Any
    label: str = ""  # e.g. "call 1 of 2 (200 tasks)"

    def body_text(self) -> str:
        if self.body is None:
            return "(no body)"
        return json.dumps(self.body, indent=2, ensure_ascii=False)
