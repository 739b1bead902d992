"""The kinds, major and minor classes of the category tree, and what a minor class rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from civicgrid.domain.calendar import TimeLimit
from civicgrid.domain.cases.categories.step_limits import StageOverrides
from civicgrid.domain.cases.stages import Urgency
from civicgrid.domain.errors import InvalidInput

_MONTH_DAY = re.compile(r"([0-9]{2})-([0-9]{2})")


class Responsibility(StrEnum):
    AREA = "area"  # 属地: the street or community where it happens acts first
    OWNER = "owner"  # 权属: the owning unit or the competent department acts first


class CategoryKind(StrEnum):
    COMPONENT = "component"  # 部件: a public object that is damaged, missing or misused
    EVENT = "event"  # 事件: something people do or something that happens

    @property
    def name_zh(self) -> str:
        return "部件" if self is CategoryKind.COMPONENT else "事件"

    @property
    def plural(self) -> str:
        """The tree's field and the data file's key for this kind's major classes."""
        return f"{self.value}s"

    @property
    def default_responsibility(self) -> Responsibility:
        # An object has an owner (权属单位) who answers for it; an event is first the
        # business of the place where it happens (属地管理).
        return Responsibility.OWNER if self is CategoryKind.COMPONENT else Responsibility.AREA


@dataclass(frozen=True, slots=True)
class Season:
    """The same stretch of days every year, "MM-DD" to "MM-DD"; it may span new year."""

    start: str
    end: str

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            _month_day(getattr(self, name), name)

    def contains(self, day: date) -> bool:
        """Whether a local calendar day falls in the season (both ends included)."""
        today = (day.month, day.day)
        first, last = _month_day(self.start, "start"), _month_day(self.end, "end")
        if first <= last:
            return first <= today <= last
        return today >= first or today <= last


def _month_day(text: object, name: str) -> tuple[int, int]:
    match = _MONTH_DAY.fullmatch(text) if isinstance(text, str) else None
    if match is not None:
        month, day = int(match[1]), int(match[2])
        try:
            date(2000, month, day)  # a leap year, so 02-29 is a valid season edge
        except ValueError:
            pass
        else:
            return month, day
    raise InvalidInput(f'must be a day of the year as "MM-DD", got {text!r}', field=name)


@dataclass(frozen=True, slots=True)
class Text:
    zh: str
    en: str = ""


@dataclass(frozen=True, slots=True)
class Department:
    code: str  # stable: cases and statistics refer to it
    name_zh: str
    name_en: str = ""


@dataclass(frozen=True, slots=True)
class MinorClass:
    kind: CategoryKind
    code: str
    name_zh: str
    name_en: str
    filing_condition: Text  # 立案条件
    closing_condition: Text  # 结案条件
    limit: TimeLimit  # 处置时限
    department: str  # a Department code
    responsible_first: Responsibility
    duplicate_radius_m: int  # 0 with the window: no duplicate suggestions
    duplicate_window_h: int
    urgency: Urgency = Urgency.NORMAL
    urgent_season: Season | None = None  # e.g. 汛期: urgent on those days whatever `urgency`
    stage_limits: StageOverrides = field(default_factory=StageOverrides)

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.code}"

    @property
    def major_code(self) -> str:
        return self.code[:2]

    def urgency_on(self, day: date) -> Urgency:
        """The urgency of a case reported on this local calendar day."""
        if self.urgent_season is not None and self.urgent_season.contains(day):
            return Urgency.URGENT
        return self.urgency


@dataclass(frozen=True, slots=True)
class MajorClass:
    kind: CategoryKind
    code: str
    name_zh: str
    name_en: str
    minors: tuple[MinorClass, ...]
