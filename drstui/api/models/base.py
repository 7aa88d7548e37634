"""Shared model plumbing: every model has `from_json(obj)` and keeps unknown fields in `extra`.

Most models are declared, not hand-read: each dataclass field is read from the JSON key of the
same name by its annotated type, unless `wire(...)` says otherwise.

=========================  ===========================================================
annotation                 read as
=========================  ===========================================================
``str | None``             `Reader.str` (numbers and booleans become text)
``int`` / ``float`` / ``bool``  `Reader.int` / `Reader.float` / `Reader.bool`
``datetime | None``        `Reader.time`; the raw text goes to ``<name>_raw`` if declared
``dict[str, Any] | None``  a free-form object
``tuple[str, ...]``        a list of strings
``SomeModel | None``       a nested object, parsed by that model
``tuple[SomeModel, ...]``  a list of objects (null entries skipped)
``tuple[dict[str, Any], ...]``  a list of free-form objects
``extra``                  every key the model did not read
=========================  ===========================================================

`wire("a", "b")` reads the first of several keys that is present (all count as read);
`wire("outer.inner")` reads inside a nested object; `wire(kind="number")` reads a number the
API sends as a string leniently (None instead of an error); `wire(kind="manual")` is left to
the model's own `_read`, which passes it to `read_declared`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import field
from datetime import datetime
from typing import Any, TypeVar

from ._parse import Reader, parse_top

M = TypeVar("M", bound="Model")
_SCALARS: dict[Any, str] = {str: "str", int: "int", float: "float", bool: "bool"}


def extra_field() -> Any:
    """Unknown fields from the server, kept verbatim; not part of equality or repr."""
    return field(default_factory=dict, repr=False, compare=False)


def wire(*keys: str, kind: str | None = None, default: Any = None) -> Any:
    """A declared field read from `keys` (first present wins) and/or with a reader `kind`."""
    return field(default=default, metadata={"wire": (keys, kind)})


class Model:
    """Mixin for frozen dataclasses: declared fields are read by `_read`; a model whose JSON
    does not map field by field overrides `_read` (and may call `read_declared`)."""

    @classmethod
    def from_json(cls: type[M], obj: Any) -> M:
        """Parse a JSON value; raises ApiError(kind="malformed") naming the bad field."""
        return parse_top(cls.__name__, obj, cls._read)

    @classmethod
    def _read(cls: type[M], r: Reader) -> M:
        return read_declared(cls, r)


def read_declared(cls: type[M], r: Reader, **given: Any) -> M:
    """Build `cls` from `r` by its field declarations; `given` fields are taken as they are."""
    values = dict(given)
    for name, read in _plan(cls):
        if name not in values:
            values.update(read(r))
    if "extra" in _field_names(cls) and "extra" not in given:
        values["extra"] = r.extra()
    return cls(**values)


_PLANS: dict[type, list[tuple[str, Callable[[Reader], dict[str, Any]]]]] = {}


def _field_names(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]


def _plan(cls: type) -> list[tuple[str, Callable[[Reader], dict[str, Any]]]]:
    plan = _PLANS.get(cls)
    if plan is None:
        hints = typing.get_type_hints(cls)
        names = _field_names(cls)
        plan = []
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name == "extra" or (f.name.endswith("_raw") and f.name[:-4] in names):
                continue
            keys, kind = f.metadata.get("wire", ((), None))
            if kind == "manual":  # read by the model's own _read
                continue
            plan.append((f.name, _reader(f.name, hints[f.name], tuple(keys) or (f.name,), kind,
                                         f"{f.name}_raw" if f"{f.name}_raw" in names else None)))
        _PLANS[cls] = plan
    return plan


def _reader(name: str, hint: Any, keys: tuple[str, ...], kind: str | None,
            raw_name: str | None) -> Callable[[Reader], dict[str, Any]]:
    read_one = _value_reader(hint, kind)
    is_time = kind is None and _unwrap(hint) is datetime

    def read(r: Reader) -> dict[str, Any]:
        found: Any = None
        for key in keys:  # every key is read (so none lands in `extra`); the first present wins
            value = _at(r, key, read_one)
            if found is None:
                found = value
        if is_time:
            parsed, raw = found if found is not None else (None, None)
            return {name: parsed, raw_name: raw} if raw_name is not None else {name: parsed}
        return {name: found}

    return read


def _at(r: Reader, key: str, read_one: Callable[[Reader, str], Any]) -> Any:
    *outer, last = key.split(".")
    for part in outer:
        inner = r.obj_(part, lambda x: x)
        if inner is None:
            return None
        r = inner
    return read_one(r, last)


def _unwrap(hint: Any) -> Any:
    """`X | None` -> X; anything else as it is."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    optional = typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1
    return args[0] if optional else hint


def _value_reader(hint: Any, kind: str | None) -> Callable[[Reader, str], Any]:
    if kind is not None:
        return lambda r, key: getattr(r, kind)(key)
    base = _unwrap(hint)
    origin = typing.get_origin(base)
    if base in _SCALARS:
        method = _SCALARS[base]
        return lambda r, key: getattr(r, method)(key)
    if base is datetime:
        return lambda r, key: r.time(key)
    if origin is dict:
        return lambda r, key: r.dict(key)
    if origin is tuple:
        item = typing.get_args(base)[0]
        if item is str:
            return lambda r, key: r.strs(key)
        if typing.get_origin(item) is dict:
            return lambda r, key: r.objs(key, lambda each: dict(each.obj))
        return lambda r, key: r.objs(key, item._read)
    if isinstance(base, type) and issubclass(base, Model):
        return lambda r, key: r.obj_(key, base._read)
    raise TypeError(f"no reader for {hint!r}: declare it with wire(kind=...) or read it by hand")
