"""Area codes.

Down to 社区 they are the official division codes: 6 digits for a city or district,
9 for a street, 12 for a community. A grid appends 3 digits to its community
(the GB/T 30428 unit-grid style, 15 digits) and a micro-grid 2 to its grid (17).
A city's code is its 4-digit prefix padded with "00"; its districts share the prefix.
"""

from __future__ import annotations

from civicgrid.domain.areas.levels import Level
from civicgrid.domain.errors import InvalidInput

_LENGTH = {
    Level.DISTRICT: 6,
    Level.STREET: 9,
    Level.COMMUNITY: 12,
    Level.GRID: 15,
    Level.MICRO_GRID: 17,
}
_LEVEL_BY_LENGTH = {length: level for level, length in _LENGTH.items()}


def code_length(level: Level) -> int:
    return 6 if level is Level.CITY else _LENGTH[level]


def child_code_length(level: Level) -> int:
    child = level.child()
    if child is None:
        raise InvalidInput(f"a {level.slug} has no children")
    return code_length(child)


def level_of_code(code: str) -> Level:
    """The level a code denotes. A 6-digit code ending in 00 is a city."""
    if not code.isascii() or not code.isdigit():
        raise InvalidInput(f"area code {code!r} must contain digits only", field="code")
    if len(code) == 6 and code.endswith("00"):
        return Level.CITY
    level = _LEVEL_BY_LENGTH.get(len(code))
    if level is None:
        raise InvalidInput(
            f"area code {code!r} has {len(code)} digits; expected 6, 9, 12, 15 or 17",
            field="code",
        )
    return level


def validate_code(code: str, parent_code: str | None) -> Level:
    """Check a code against its parent's; return the level it denotes."""
    level = level_of_code(code)
    if level is Level.CITY:
        if parent_code is not None:
            raise InvalidInput(f"city {code} cannot have a parent", field="parent_code")
        return level
    if parent_code is None:
        raise InvalidInput(f"area {code} needs a parent", field="parent_code")
    parent_level = level_of_code(parent_code)
    if parent_level + 1 != level:
        raise InvalidInput(
            f"area {code} is a {level.slug} but its parent {parent_code} is a {parent_level.slug}",
            field="parent_code",
        )
    prefix = parent_code[:4] if parent_level is Level.CITY else parent_code
    if not code.startswith(prefix):
        raise InvalidInput(
            f"area code {code} does not start with its parent's code {prefix}", field="code"
        )
    if level is Level.DISTRICT and code.endswith("00"):
        raise InvalidInput(f"district code {code} cannot end in 00", field="code")
    if set(code[len(prefix) :]) == {"0"}:
        raise InvalidInput(f"area code {code} has an all-zero own part", field="code")
    return level
