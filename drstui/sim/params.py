"""Query/body parameter checks shared by the DRS and SMS handlers."""

from __future__ import annotations

from typing import Any, Callable

from .messages import SimError

ErrorFactory = Callable[[str], SimError]


def int_param(query: dict[str, str], name: str, default: int, low: int, high: int | None,
              error: ErrorFactory) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise error(f"Invalid parameter: {name} must be an integer.") from None
    if value < low or (high is not None and value > high):
        bound = f"{low}-{high}" if high is not None else f">= {low}"
        raise error(f"Invalid parameter: {name} must be in {bound}.")
    return value


def body_int(body: dict[str, Any], name: str, default: int | None, low: int, high: int | None,
             error: ErrorFactory) -> int:
    value = body.get(name, default)
    if value is None:
        raise error(f"Missing parameter: {name}.")
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(f"Invalid parameter: {name} must be an integer.")
    if value < low or (high is not None and value > high):
        raise error(f"Invalid parameter: {name} out of range.")
    return value


def bool_param(query: dict[str, str], name: str, error: ErrorFactory) -> bool | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    raise error(f"Invalid parameter: {name} must be true or false.")


def page(items: list, offset: int, limit: int) -> list:
    return items[offset:offset + limit]
