"""A scope's request budget: how many requests a minute it may send to the API.

An API gateway throttles an account that sends too much, and a throttled account in the
middle of a cutover sees nothing. Each request the scope's client sends (retries included) is
counted; once a refresh has ended, `min_interval()` says how far apart refreshes must be for
that many requests to stay within the budget. The poll loop waits at least that long, and the
header says when the budget, not the chosen interval, sets the pace.

The gateway counts an account's requests, not a scope's: scopes that send as the same account
(the same access key, or the same IAM user) share an `Account`, and each of them is paced by
what all of them sent in their last refreshes, as if they were one scope.
"""

from __future__ import annotations

from typing import Any


class Account:
    """The budgets of the scopes that send as one account."""

    def __init__(self) -> None:
        self.members: list[RequestBudget] = []

    def last_refreshes(self) -> int:
        """Requests the members' last finished refreshes sent, together."""
        return sum(member.last_refresh for member in self.members)


class RequestBudget:
    def __init__(self, per_minute: float | None, account: Account | None = None) -> None:
        self.per_minute = per_minute
        self.sent = 0  # requests sent so far (every attempt)
        self.last_refresh = 0  # requests the last finished refresh sent
        self.refreshes = 0
        self._at_start = 0
        self.account = account or Account()  # alone unless it shares its credentials
        self.account.members.append(self)

    def count(self, _record: Any = None) -> None:
        """The client's `on_request` hook: one more request sent."""
        self.sent += 1

    def refresh_started(self) -> None:
        self._at_start = self.sent

    def refresh_finished(self) -> None:
        self.last_refresh = self.sent - self._at_start
        self.refreshes += 1

    def min_interval(self) -> float:
        """Seconds between refresh starts that keep the last refreshes' requests (this scope's
        and those of the scopes sharing its account) in budget. The first refresh reads every
        job (later ones skip what has settled): it sets no pace."""
        if not self.per_minute or self.refreshes < 2:
            return 0.0
        return self.account.last_refreshes() * 60.0 / self.per_minute
