"""Which cases an evaluation looks at: a period, how it applies, and a selection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from civicgrid.domain.areas.area import is_within
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.indicators.case_facts import CaseFacts


@dataclass(frozen=True, slots=True)
class Period:
    """[start, end): start included, end excluded; both aware."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            at: datetime = getattr(self, name)
            if at.tzinfo is None or at.utcoffset() is None:
                raise InvalidInput(f"the period's {name} must be timezone-aware", field=name)
        if self.end <= self.start:
            raise InvalidInput("a period must end after it starts", field="end")

    def bounds(self) -> tuple[float, float]:
        """(start, end) as POSIX seconds, the unit of every instant in the facts."""
        return self.start.timestamp(), self.end.timestamp()


class PeriodBasis(StrEnum):
    """How the period picks what each indicator counts (see docs/indicators.md)."""

    EVENT = "event"  # each count by the time of the event it counts: 立案数 by filing …
    REPORTED = "reported"  # the cases reported in the period, each counted as of as_of


@dataclass(frozen=True, slots=True)
class CaseSelection:
    """Narrows the cases counted; None (or empty) selects everything for that field."""

    area_path: str | None = None  # a subtree: this area and all below it
    department: str | None = None  # the department of the latest dispatch
    reporter: str | None = None  # the REPORTED event's actor
    reporter_position: Position | None = None
    sources: frozenset[Source] = frozenset()
    category_prefix: str | None = None
    enterprise: bool | None = None  # True: only enterprise services; False: none of them

    def matches(self, facts: CaseFacts, enterprise_categories: tuple[str, ...] = ()) -> bool:
        if self.area_path is not None and not is_within(facts.area_path, self.area_path):
            return False
        if self.department is not None and facts.department != self.department:
            return False
        if self.reporter is not None and facts.reporter != self.reporter:
            return False
        if self.reporter_position is not None and facts.reporter_position != self.reporter_position:
            return False
        if self.sources and facts.source not in self.sources:
            return False
        if self.category_prefix is not None and not facts.category.startswith(self.category_prefix):
            return False
        return self.enterprise is None or self.enterprise == is_enterprise(
            facts.source, facts.category, enterprise_categories
        )


ALL_CASES = CaseSelection()


def is_enterprise(source: Source, category: str, enterprise_categories: tuple[str, ...]) -> bool:
    """An enterprise-service request (企业服务): from an enterprise, or in one of its categories."""
    return source is Source.ENTERPRISE or category.startswith(enterprise_categories)
