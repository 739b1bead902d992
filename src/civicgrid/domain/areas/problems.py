"""Problems found in an imported area file, and the code checks every format shares.

An import is all or nothing: a reader notes every problem in the file, then rejects
the whole file with `ImportRejected`, so one round of fixes can address them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from civicgrid.domain.areas.codes import code_length, level_of_code, validate_code
from civicgrid.domain.areas.levels import Level
from civicgrid.domain.errors import InvalidInput

MAX_HOUSEHOLDS = 2**31 - 1  # fits a 32-bit integer column
_SHOWN_IN_MESSAGE = 3


@dataclass(frozen=True, slots=True)
class Problem:
    location: str  # "feature 3", "line 12" or "file"
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.location if self.field is None else f'{self.location}, field "{self.field}"'
        return f"{where}: {self.message}"


class ImportRejected(InvalidInput):
    """A file was rejected whole; `problems` lists everything wrong with it."""

    def __init__(self, problems: Sequence[Problem], *, source_name: str = "") -> None:
        self.problems = list(problems)
        self.source_name = source_name
        super().__init__(_summary(self.problems, source_name))


def _summary(problems: list[Problem], source_name: str) -> str:
    count = len(problems)
    shown = "; ".join(str(problem) for problem in problems[:_SHOWN_IN_MESSAGE])
    more = f"; and {count - _SHOWN_IN_MESSAGE} more" if count > _SHOWN_IN_MESSAGE else ""
    noun = "problem" if count == 1 else "problems"
    return f"{source_name or 'the file'} was rejected with {count} {noun}: {shown}{more}"


def implied_parent_code(code: str, level: Level) -> str | None:
    """The parent a code's own structure names: the code minus its last part."""
    if level is Level.CITY:
        return None
    if level is Level.DISTRICT:
        return code[:4] + "00"
    return code[: code_length(Level(level - 1))]


def _check_form(code: str, field: str) -> None:
    try:
        level_of_code(code)
    except InvalidInput as error:
        raise InvalidInput(error.message, field=field) from None


class ProblemLog:
    """Collects the problems of one file while it is read."""

    def __init__(self, source_name: str) -> None:
        self.source_name = source_name
        self.problems: list[Problem] = []
        self._first_seen: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.problems)

    def add(self, location: str, field: str | None, message: str) -> None:
        self.problems.append(Problem(location, field, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ImportRejected(self.problems, source_name=self.source_name)

    def check_code(
        self,
        location: str,
        code: str,
        parent_code: str | None,
        stated_level: Level | None = None,
    ) -> tuple[Level, str | None] | None:
        """Check a code against its parent (derived from the code when not given).

        Returns the code's level and parent, or None after noting what is wrong.
        """
        first = self._first_seen.setdefault(code, location)
        if first != location:
            self.add(location, "code", f"code {code} is already used by {first}")
        try:
            if parent_code is not None:
                # validate_code would blame a malformed parent on field "code".
                _check_form(parent_code, "parent_code")
            level = level_of_code(code)
            if parent_code is None:
                parent_code = implied_parent_code(code, level)
            validate_code(code, parent_code)
        except InvalidInput as error:
            self.add(location, error.field or "code", error.message)
            return None
        if stated_level is not None and stated_level is not level:
            self.add(
                location,
                "level",
                f"level {stated_level.slug} disagrees with code {code}, which denotes a "
                f"{level.slug}",
            )
            return None
        return level, parent_code

    def check_households(self, location: str, value: int) -> int | None:
        if 0 <= value <= MAX_HOUSEHOLDS:
            return value
        self.add(location, "households", f"households must be 0 to {MAX_HOUSEHOLDS}, got {value}")
        return None
