"""Shared model plumbing: every model has `from_json(obj)` and keeps unknown fields in `extra`."""

from __future__ import annotations

from dataclasses import field
from typing import Any, TypeVar

from ._parse import Reader, parse_top

M = TypeVar("M", bound="Model")


def extra_field() -> Any:
    """Unknown fields from the server, kept verbatim; not part of equality or repr."""
    return field(default_factory=dict, repr=False, compare=False)


class Model:
    """Mixin: subclasses implement `_read(cls, r: Reader)`."""

    @classmethod
    def from_json(cls: type[M], obj: Any) -> M:
        """Parse a JSON value; raises ApiError(kind="malformed") naming the bad field."""
        return parse_top(cls.__name__, obj, cls._read)

    @classmethod
    def _read(cls: type[M], r: Reader) -> M:  # pragma: no cover - abstract
        raise NotImplementedError
