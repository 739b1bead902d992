"""Time limits with units: 工作时, 工作日, 分钟, 小时 and 天."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

_LIMIT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(\S+)\s*$")


class LimitUnit(StrEnum):
    WORKING_HOURS = "working_hours"  # 工作时: hours of working time
    WORKING_DAYS = "working_days"  # 工作日: the working time of one normal working day each
    MINUTES = "minutes"  # 分钟: elapsed minutes, working or not
    HOURS = "hours"  # 小时: elapsed hours, working or not
    DAYS = "days"  # 天: elapsed days of 24 hours, working or not

    @property
    def name_zh(self) -> str:
        return _ZH[self]

    @property
    def is_working_time(self) -> bool:
        """Counted on the working calendar only (otherwise nights and holidays count too)."""
        return self in {LimitUnit.WORKING_HOURS, LimitUnit.WORKING_DAYS}

    @classmethod
    def from_text(cls, text: str) -> LimitUnit:
        """'working_days' or '工作日' (and so on for each unit)."""
        for unit in cls:
            if text in (unit.value, unit.name_zh):
                return unit
        names = ", ".join(f"{unit.value}/{unit.name_zh}" for unit in cls)
        raise ValueError(f"unknown time-limit unit {text!r}; expected one of {names}")


_ZH = {
    LimitUnit.WORKING_HOURS: "工作时",
    LimitUnit.WORKING_DAYS: "工作日",
    LimitUnit.MINUTES: "分钟",
    LimitUnit.HOURS: "小时",
    LimitUnit.DAYS: "天",
}


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """A duration in a unit, e.g. TimeLimit(3, LimitUnit.WORKING_DAYS) for 3 工作日."""

    value: float
    unit: LimitUnit

    def __post_init__(self) -> None:
        if not math.isfinite(self.value) or self.value < 0:
            raise ValueError(f"a time limit must be a finite number >= 0, got {self.value!r}")

    @classmethod
    def parse(cls, text: str) -> TimeLimit:
        """'3 工作日', '2working_hours', '0.5 天'."""
        match = _LIMIT.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a time limit like '3 工作日' or '2 working_hours'")
        return cls(float(match.group(1)), LimitUnit.from_text(match.group(2)))

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit.name_zh}"

    @property
    def label_zh(self) -> str:
        """'2工作时': the limit as a zh-CN label writes it, without a space."""
        return f"{self.value:g}{self.unit.name_zh}"
