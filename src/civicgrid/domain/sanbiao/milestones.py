"""Milestones (见标志): dated, verifiable outcomes, and their honest status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sanbiao.forecast import Forecast, Point, forecast_crossing

ON_TRACK_PROBABILITY = 0.5  # below this chance of meeting the deadline, a milestone is at risk


class Status(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    ACHIEVED = "achieved"
    MISSED = "missed"


class Comparison(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="

    def met(self, value: float, threshold: float) -> bool:
        # Amounts summed from two-decimal figures may land a hair short (27.019999…).
        slack = 1e-9 * max(1.0, abs(threshold))
        if self is Comparison.AT_LEAST:
            return value >= threshold - slack
        return value <= threshold + slack


@dataclass(frozen=True, slots=True)
class Condition:
    indicator: str
    comparison: Comparison
    threshold: float


@dataclass(frozen=True, slots=True)
class Milestone:
    id: int
    area_code: str
    title_zh: str
    title_en: str
    deadline: date
    condition: Condition | None  # None: checked by hand, with evidence and an approver
    group: str = ""  # e.g. "四个突破、四个新增、三个提升"
    provenance: str = ""  # "source document" or "synthetic"
    evidence: tuple[str, ...] = ()
    approved_by: str | None = None
    achieved_on: date | None = None  # set when a value met the condition, or on approval
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    status: Status
    reason: str
    forecast: Forecast | None = None
    latest: Point | None = None
    points: tuple[Point, ...] = field(default=())


def check_title(title_zh: str, title_en: str) -> None:
    if not title_zh.strip() or not title_en.strip():
        raise InvalidInput("a milestone needs a title in zh-CN and in en", field="title_zh")


def first_meeting(condition: Condition, points: Sequence[Point], deadline: date) -> Point | None:
    """The earliest value, on or before the deadline, that meets the condition."""
    meeting = [
        p
        for p in points
        if p.on <= deadline and condition.comparison.met(p.value, condition.threshold)
    ]
    return min(meeting, key=lambda p: p.on) if meeting else None


def assess(milestone: Milestone, points: Sequence[Point], today: date) -> Assessment:
    """The status follows from the data and the forecast, never from anyone's opinion."""
    series = tuple(sorted(points, key=lambda p: p.on))
    latest = series[-1] if series else None
    if milestone.condition is None:
        return _assess_by_hand(milestone, today)
    c = milestone.condition
    met = first_meeting(c, series, milestone.deadline)
    if met is not None or milestone.achieved_on is not None:
        on = met.on if met is not None else milestone.achieved_on
        return Assessment(Status.ACHIEVED, f"met on {on}", None, latest, series)
    if today > milestone.deadline:
        seen = f"; the latest value, for {latest.on}, is {latest.value:g}" if latest else ""
        reason = f"not met by {milestone.deadline}{seen}"
        return Assessment(Status.MISSED, reason, None, latest, series)
    if not series:
        return Assessment(Status.NOT_STARTED, "no values yet", None, None, series)
    at_least = c.comparison is Comparison.AT_LEAST
    forecast = forecast_crossing(
        series, c.threshold, at_least=at_least, deadline=milestone.deadline
    )
    if forecast is None:
        reason = f"only {len(series)} value(s): too few to forecast, so not shown as on track"
        return Assessment(Status.AT_RISK, reason, None, latest, series)
    chance = f"{forecast.probability:.0%} chance of meeting it by {milestone.deadline}"
    status = Status.ON_TRACK if forecast.probability >= ON_TRACK_PROBABILITY else Status.AT_RISK
    return Assessment(status, chance, forecast, latest, series)


def _assess_by_hand(milestone: Milestone, today: date) -> Assessment:
    if milestone.approved_by is not None and milestone.achieved_on is not None:
        reason = f"approved by {milestone.approved_by} on {milestone.achieved_on}"
        return Assessment(Status.ACHIEVED, reason)
    if today > milestone.deadline:
        return Assessment(Status.MISSED, f"no approved evidence by {milestone.deadline}")
    if milestone.evidence:
        return Assessment(
            Status.ON_TRACK, f"{len(milestone.evidence)} evidence item(s) awaiting approval"
        )
    return Assessment(Status.NOT_STARTED, "no evidence yet")
