"""Lenient JSON readers for the models.

Rules: unknown fields and enum values are kept, missing optional fields become None,
and a value of the wrong type becomes `ApiError(kind="malformed")` naming the field path —
never a TypeError/KeyError escaping to the caller.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar

from ..errors import ApiError

T = TypeVar("T")


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def bad(path: str, expected: str, value: Any) -> ApiError:
    return ApiError(
        f"unexpected data at {path}: expected {expected}, got {type(value).__name__} {_describe(value)}",
        kind="malformed",
    )


class Reader:
    """Typed access to one JSON object, remembering where it is in the document."""

    def __init__(self, obj: Any, path: str = "$") -> None:
        if not isinstance(obj, Mapping):
            raise bad(path, "an object", obj)
        self.obj = obj
        self.path = path
        self._used: set[str] = set()

    def _get(self, key: str) -> Any:
        self._used.add(key)
        return self.obj.get(key)

    def raw(self, key: str) -> Any:
        return self._get(key)

    def has(self, key: str) -> bool:
        return key in self.obj

    def at(self, key: str) -> str:
        return f"{self.path}.{key}"

    # -- scalars ----------------------------------------------------------------------------
    def str(self, key: str) -> str | None:
        return as_str(self._get(key), self.at(key))

    def int(self, key: str) -> int | None:
        return as_int(self._get(key), self.at(key))

    def float(self, key: str) -> float | None:
        return as_float(self._get(key), self.at(key))

    def number(self, key: str) -> float | None:
        """A number the API declares as a string: anything that is not one reads as None."""
        return lenient_number(self._get(key))

    def bool(self, key: str) -> bool | None:
        return as_bool(self._get(key), self.at(key))

    def time(self, key: str) -> tuple[datetime | None, str | None]:
        """(parsed aware UTC datetime or None, raw value as text or None)."""
        value = self._get(key)
        if value is None:
            return None, None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise bad(self.at(key), "a time (string or number)", value)
        return parse_time(value), str(value)

    # -- containers -------------------------------------------------------------------------
    def dict(self, key: str) -> dict[str, Any] | None:
        """A free-form object kept as a plain dict."""
        value = self._get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise bad(self.at(key), "an object", value)
        return dict(value)

    def obj_(self, key: str, parse: Callable[[Reader], T]) -> T | None:
        value = self._get(key)
        if value is None:
            return None
        return parse(Reader(value, self.at(key)))

    def list(self, key: str, item: Callable[[Any, str], T]) -> tuple[T, ...]:
        """A list parsed item by item; missing/null -> ()."""
        value = self._get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise bad(self.at(key), "a list", value)
        return tuple(item(v, f"{self.at(key)}[{i}]") for i, v in enumerate(value))

    def objs(self, key: str, parse: Callable[[Reader], T]) -> tuple[T, ...]:
        """A list of objects; null entries are skipped."""
        return tuple(
            x for x in self.list(key, lambda v, p: None if v is None else parse(Reader(v, p)))
            if x is not None
        )

    def strs(self, key: str) -> tuple[str, ...]:
        return tuple(x for x in self.list(key, as_str) if x is not None)

    def extra(self) -> dict[str, Any]:
        """Fields this reader has not consumed: kept on the model, not dropped."""
        return {k: v for k, v in self.obj.items() if k not in self._used}


# -- scalar coercions -------------------------------------------------------------------------
def as_str(value: Any, path: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise bad(path, "a string", value)


def as_int(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise bad(path, "an integer", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise bad(path, "an integer", value)
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                raise bad(path, "an integer", value) from None
            if math.isfinite(number) and number.is_integer():
                return int(number)
    raise bad(path, "an integer", value)


def as_float(value: Any, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise bad(path, "a number", value)
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:
            raise bad(path, "a number", value) from None
    if isinstance(value, str):
        text = value.strip().rstrip("%")
        if text == "":
            return None
        try:
            return float(text)
        except ValueError:
            pass
    raise bad(path, "a number", value)


def lenient_number(value: Any) -> float | None:
    """A number sent as a string (or a number): empty, "-", text, NaN -> None, never an error."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def as_bool(value: Any, path: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        if text == "":
            return None
    raise bad(path, "a boolean", value)


def parse_time(value: Any) -> datetime | None:
    """Parse DRS/SMS times defensively: ISO-8601 strings (Z or offset; naive = UTC), or epoch
    seconds/milliseconds as numbers or digit strings. Returns None when it cannot."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            return _from_epoch(float(value))
        text = str(value).strip()
        if not text:
            return None
        try:
            return _from_epoch(float(text))
        except ValueError:
            pass
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None


def _from_epoch(number: float) -> datetime | None:
    if not math.isfinite(number) or number < 0:
        return None
    # Epoch milliseconds unless it is clearly seconds (before ~1973 as ms).
    seconds = number / 1000.0 if number >= 1e11 else number
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def load_json_text(text: str) -> Any:
    """json.loads that maps failure to None (used for SMS JSON-in-a-string results)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def parse_top(cls_name: str, obj: Any, parse: Callable[[Reader], T]) -> T:
    """Entry point for every `from_json`: any non-ApiError exception is a parser bug, but it
    still must not escape as TypeError; report it as malformed data."""
    try:
        return parse(Reader(obj))
    except ApiError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
        raise ApiError(f"could not read {cls_name}: {exc.__class__.__name__}", kind="malformed") from None
