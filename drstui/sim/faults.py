"""Fault injection, switchable at run time (``FaultPlan.add`` / ``clear``) and from the command line.

Spec grammar (one fault per spec; ``--fault`` may be repeated)::

    KIND=VALUE[,OPTION=VALUE...][@PATH_GLOB]

    latency=200ms           add this delay to every matching request (ms, s or m; bare number = s)
    5xx=0.3                 answer 500 with probability 0.3          option: status=502|503|...
    429=0.2                 answer 429 + Retry-After                  option: retry-after=2s (default 1s)
    timeout=0.1             never answer (the client times out)       option: hang=30s (how long to hold)
    drop=0.1                close the connection without an answer
    refuse=1                refuse connections (as if the simulator were down)
    malformed=0.1           answer 200 with a truncated, unparsable JSON body
    wrong-type=0.1          answer with one field's value of the wrong type (int <-> string)
    unknown-enum=0.1        answer with one status-like field set to an unknown enum value
    token-expiry=60s        IAM tokens stop working this long after they were issued (401 APIGW.0301)

``@PATH_GLOB`` limits a fault to request paths matching the glob (``fnmatch``; ``*`` also spans
``/``), e.g. ``5xx=1@/v3/*/jobs/*/object/compare``. Probabilities are drawn from a RNG seeded
from the simulator seed, so a given request sequence always meets the same faults.

``drop`` and ``timeout`` lose the answer *after* the request was handled (a POST that "timed out"
may still have created its comparison — exactly the case clients must survive); ``refuse``,
``5xx`` and ``429`` are decided before anything is handled.
"""

from __future__ import annotations

import fnmatch
import random
import re
import threading
from dataclasses import dataclass, field

PROBABILITY_KINDS = ("5xx", "429", "timeout", "drop", "refuse", "malformed", "wrong-type", "unknown-enum")
DURATION_KINDS = ("latency", "token-expiry")
KINDS = PROBABILITY_KINDS + DURATION_KINDS
OPTIONS = {"5xx": ("status",), "429": ("retry-after",), "timeout": ("hang",)}


class FaultSpecError(ValueError):
    """A fault spec that does not follow the grammar; the message says what is wrong."""


def parse_duration(text: str) -> float:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*", text)
    if not match:
        raise FaultSpecError(f"not a duration: {text!r} (use e.g. 200ms, 1.5s, 2m)")
    value, unit = float(match.group(1)), match.group(2) or "s"
    return value / 1000 if unit == "ms" else value * 60 if unit == "m" else value


def parse_probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FaultSpecError(f"not a probability: {text!r} (use a number from 0 to 1)") from None
    if not 0.0 <= value <= 1.0:
        raise FaultSpecError(f"probability out of range: {text!r} (use a number from 0 to 1)")
    return value


@dataclass(frozen=True)
class FaultRule:
    kind: str
    value: float  # probability, or seconds for latency / token-expiry
    path_glob: str = "*"
    status: int = 500
    retry_after: float = 1.0
    hang_seconds: float = 30.0

    def matches(self, path: str) -> bool:
        return fnmatch.fnmatchcase(path, self.path_glob)


def parse_fault_spec(spec: str) -> FaultRule:
    text = spec.strip()
    glob = "*"
    if "@" in text:
        text, glob = text.split("@", 1)
        if not glob.startswith("/") and glob != "*":
            raise FaultSpecError(f"path glob must start with '/': {glob!r}")
    kind, sep, rest = text.partition("=")
    kind = kind.strip().lower()
    if not sep or kind not in KINDS:
        raise FaultSpecError(f"unknown fault {spec!r}: expected KIND=VALUE with KIND one of {', '.join(KINDS)}")
    value_text, *option_texts = rest.split(",")
    value = parse_duration(value_text) if kind in DURATION_KINDS else parse_probability(value_text)
    options: dict[str, object] = {}
    for option in option_texts:
        name, eq, option_value = option.partition("=")
        name = name.strip().lower()
        if not eq or name not in OPTIONS.get(kind, ()):
            raise FaultSpecError(f"unknown option {option!r} for fault {kind!r}")
        if name == "status":
            if not option_value.strip().isdigit() or not 500 <= int(option_value) <= 599:
                raise FaultSpecError(f"status must be 500-599: {option_value!r}")
            options["status"] = int(option_value)
        elif name == "retry-after":
            options["retry_after"] = parse_duration(option_value)
        elif name == "hang":
            options["hang_seconds"] = parse_duration(option_value)
    return FaultRule(kind, value, glob, **options)  # type: ignore[arg-type]


@dataclass
class FaultDecision:
    """What to do to one request. Empty (the default) means: behave normally."""

    delay_seconds: float = 0.0
    refuse: bool = False
    drop: bool = False
    hang_seconds: float | None = None
    error_status: int | None = None
    retry_after: float | None = None
    body_fault: str | None = None  # "malformed", "wrong-type", "unknown-enum"
    token_lifetime: float | None = None
    applied: list[str] = field(default_factory=list)


class FaultPlan:
    def __init__(self, seed: int = 0, specs: list[str] | None = None) -> None:
        self._rng = random.Random(f"{seed}/faults")
        self._lock = threading.Lock()
        self.rules: list[FaultRule] = []
        for spec in specs or []:
            self.add(spec)

    def add(self, spec: str | FaultRule) -> FaultRule:
        rule = parse_fault_spec(spec) if isinstance(spec, str) else spec
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self, kind: str | None = None) -> None:
        """Remove every rule, or only those of one kind."""
        with self._lock:
            self.rules = [r for r in self.rules if kind is not None and r.kind != kind]

    def decide(self, path: str) -> FaultDecision:
        decision = FaultDecision()
        with self._lock:
            rules = [r for r in self.rules if r.matches(path)]
            for rule in rules:
                if rule.kind == "latency":
                    decision.delay_seconds += rule.value
                    decision.applied.append("latency")
                elif rule.kind == "token-expiry":
                    current = decision.token_lifetime
                    decision.token_lifetime = rule.value if current is None else min(current, rule.value)
                elif self._rng.random() < rule.value:
                    self._apply(decision, rule)
        return decision

    @staticmethod
    def _apply(decision: FaultDecision, rule: FaultRule) -> None:
        decision.applied.append(rule.kind)
        if rule.kind == "refuse":
            decision.refuse = True
        elif rule.kind == "drop":
            decision.drop = True
        elif rule.kind == "timeout":
            decision.hang_seconds = rule.hang_seconds
        elif rule.kind == "429":
            decision.error_status, decision.retry_after = 429, rule.retry_after
        elif rule.kind == "5xx" and decision.error_status is None:
            decision.error_status = rule.status
        elif rule.kind in ("malformed", "wrong-type", "unknown-enum") and decision.body_fault is None:
            decision.body_fault = rule.kind


GRAMMAR_HELP = "\n" + __doc__.split("Spec grammar (one fault per spec; ``--fault`` may be repeated)::\n", 1)[1].split("``drop`` and", 1)[0].replace("``", "")
