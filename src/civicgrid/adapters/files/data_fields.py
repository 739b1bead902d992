"""Typed access to untrusted nested data: parsed YAML, or CSV rows turned into the same.

Each getter notes what is wrong as a Problem, located by the item's path in the data and
the field's dotted name, and returns a stand-in so reading goes on and finds the rest.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import ClassVar, TypeVar

from civicgrid.domain.areas.problems import Problem

_E = TypeVar("_E", bound=StrEnum)

_WHOLE = re.compile(r"[-+]?[0-9]{1,12}")


class FieldReader:
    """Collects problems in `problems`; a subclass reads one layout of data with it."""

    # Other spellings of enum values (e.g. zh-CN names), tried before the value itself.
    aliases: ClassVar[Mapping[str, str]] = {}

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def note(self, where: str, field: str | None, message: str) -> None:
        self.problems.append(Problem(where, field, message))

    def mapping(
        self,
        value: object,
        where: str,
        prefix: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...] = (),
    ) -> dict[str, object]:
        if not isinstance(value, Mapping):
            message = f"must be a mapping of keys to values, got {describe(value)}"
            self.note(where, prefix or None, message)
            return {}
        found: dict[str, object] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.note(where, join(prefix, str(key)), "keys must be text")
            elif key not in allowed:
                near = difflib.get_close_matches(key, allowed, 1, 0.6)
                hint = f"did you mean {near[0]}?" if near else f"expected {', '.join(allowed)}"
                self.note(where, join(prefix, key), f"unknown key; {hint}")
            elif item is not None:  # an empty value in YAML means "not given"
                found[key] = item
        for key in required:
            if key not in found:
                self.note(where, join(prefix, key), "is required")
        return found

    def items(self, value: object, where: str, field: str) -> list[object]:
        if value is None or isinstance(value, list):
            return value or []
        self.note(where, field, f"must be a list, got {describe(value)}")
        return []

    def text(self, value: object, where: str, field: str) -> str:
        if value is None or isinstance(value, str):
            return (value or "").strip()
        self.note(where, field, f"must be text, got {describe(value)}")
        return ""

    def code(self, value: object, where: str, example: str) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            message = f'must be quoted text such as "{example}"; unquoted, it reads as {value}'
            self.note(where, "code", message)
            return ""
        return self.text(value, where, "code")

    def whole(self, value: object, where: str, field: str) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
            return int(value)
        self.note(where, field, f"must be a whole number, got {describe(value)}")
        return 0

    def choice(self, value: object, options: Iterable[_E], where: str, field: str) -> _E:
        """One of `options` (an enum, or some of its members in the order a message lists)."""
        wanted = value.strip() if isinstance(value, str) else None
        for option in options:
            if wanted is not None and option.value == self.aliases.get(wanted, wanted.lower()):
                return option
        allowed = ", ".join(option.value for option in options)
        self.note(where, field, f"must be one of {allowed}, got {describe(value)}")
        return next(iter(options))


def describe(value: object) -> str:
    """A value as a problem message names it: short, and without the whole of a long text."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return repr(value[:40])
    if isinstance(value, Mapping):
        return "a mapping"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


def join(prefix: str, key: str) -> str:
    """A dotted field name: `limit` and `unit` give `limit.unit`."""
    return f"{prefix}.{key}" if prefix else key
