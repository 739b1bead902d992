"""Facts as numpy columns, built once and counted for any period and selection.

Instants are float64 POSIX seconds with NaN for "never"; a comparison with NaN is
false, so "in the period" needs no separate test for absence. Strings are stored as
codes into their distinct values, so a selection tests each distinct value once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from civicgrid.domain.areas.area import is_within
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Source
from civicgrid.domain.indicators.case_facts import CaseFacts
from civicgrid.domain.indicators.selection import CaseSelection, is_enterprise

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int32]

SOURCES = tuple(Source)
POSITIONS = tuple(Position)
OUTCOMES = tuple(Outcome)


@dataclass(frozen=True, slots=True, eq=False)
class Coded:
    """A column of strings (or enum members) as codes into `values`; -1 is None."""

    codes: Codes
    values: tuple[str, ...]

    def where(self, keep: Callable[[str], bool]) -> Bools:
        """Rows whose value passes `keep`; rows holding None never do."""
        table = np.array([keep(value) for value in self.values] + [False], dtype=np.bool_)
        selected: Bools = table[self.codes]  # code -1 picks the trailing False
        return selected


@dataclass(frozen=True, slots=True, eq=False)
class FactTable:
    as_of: datetime
    reported_at: Floats
    filed_at: Floats
    dispatched_at: Floats
    last_handled_at: Floats
    handle_deadline: Floats
    closed_at: Floats
    close_deadline: Floats
    rated_at: Floats
    handling_hours: Floats
    rating: Floats
    rework_count: Codes
    handling_done: Bools
    handled_on_time: Bools
    closed_on_time: Bools
    checked: Bools
    source: Coded
    reporter_position: Coded
    outcome: Coded
    category: Coded
    area_path: Coded
    department: Coded
    reporter: Coded

    def __len__(self) -> int:
        return len(self.reported_at)

    @classmethod
    def from_facts(cls, facts: Iterable[CaseFacts], as_of: datetime) -> FactTable:
        """The columns of `facts`, which were extracted as of `as_of`.

        One plain list comprehension per column, about 3 s for a million facts: building
        a tuple per fact and transposing them costs several times more.
        """
        rows = facts if isinstance(facts, Sequence) else list(facts)
        return cls(
            as_of=as_of,
            reported_at=_floats([f.reported_at for f in rows]),
            filed_at=_floats([f.filed_at for f in rows]),
            dispatched_at=_floats([f.dispatched_at for f in rows]),
            last_handled_at=_floats([f.last_handled_at for f in rows]),
            handle_deadline=_floats([f.handle_deadline for f in rows]),
            closed_at=_floats([f.closed_at for f in rows]),
            close_deadline=_floats([f.close_deadline for f in rows]),
            rated_at=_floats([f.rated_at for f in rows]),
            handling_hours=_floats([f.handling_hours for f in rows]),
            rating=_floats([f.rating for f in rows]),
            rework_count=np.array([f.rework_count for f in rows], dtype=np.int32),
            handling_done=np.array([f.handling_done for f in rows], dtype=np.bool_),
            handled_on_time=np.array([f.handled_on_time for f in rows], dtype=np.bool_),
            closed_on_time=np.array([f.closed_on_time for f in rows], dtype=np.bool_),
            checked=np.array([f.checked for f in rows], dtype=np.bool_),
            source=_coded([f.source for f in rows], SOURCES),
            reporter_position=_coded([f.reporter_position for f in rows], POSITIONS),
            outcome=_coded([f.outcome for f in rows], OUTCOMES),
            category=_coded([f.category for f in rows]),
            area_path=_coded([f.area_path for f in rows]),
            department=_coded([f.department for f in rows]),
            reporter=_coded([f.reporter for f in rows]),
        )

    def select(self, selection: CaseSelection, enterprise_categories: tuple[str, ...]) -> Bools:
        """The rows `selection` keeps: the vectorised `CaseSelection.matches`."""
        keep = np.ones(len(self), dtype=np.bool_)
        s = selection
        if s.area_path is not None:
            scope = s.area_path
            keep &= self.area_path.where(lambda path: is_within(path, scope))
        for column, wanted in (
            (self.department, s.department),
            (self.reporter, s.reporter),
            (self.reporter_position, s.reporter_position),
        ):
            if wanted is not None:
                keep &= column.where(_equal_to(wanted))
        if s.sources:
            keep &= self.source.where(lambda value: value in s.sources)
        if s.category_prefix is not None:
            prefix = s.category_prefix
            keep &= self.category.where(lambda category: category.startswith(prefix))
        if s.enterprise is not None:
            keep &= self.enterprise(enterprise_categories) == s.enterprise
        return keep

    def enterprise(self, enterprise_categories: tuple[str, ...]) -> Bools:
        by_source = self.source.where(lambda value: value == Source.ENTERPRISE)
        if not enterprise_categories:
            return by_source
        by_category = self.category.where(
            lambda category: is_enterprise(Source.STAFF, category, enterprise_categories)
        )
        return by_source | by_category


def _equal_to(wanted: str) -> Callable[[str], bool]:
    return lambda value: value == wanted


def _floats(values: list[float | None] | list[int | None]) -> Floats:
    return np.array(values, dtype=np.float64)  # None becomes NaN


def _coded(values: Sequence[str | None], members: Sequence[str] = ()) -> Coded:
    """Codes into `members` (enums: fixed codes) or into the distinct values, in order."""
    distinct = tuple(members) or tuple(v for v in dict.fromkeys(values) if v is not None)
    index: dict[str | None, int] = {value: code for code, value in enumerate(distinct)}
    index[None] = -1
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int32, count=len(values))
    return Coded(codes, tuple(str(value) for value in distinct))
