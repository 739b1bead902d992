"""How the 三标 figures read on a page: numbers with their unit, gaps, milestone notes,
and the chart data handed to static/js/sanbiao-board.js through data attributes."""

from __future__ import annotations

from typing import Any

from civicgrid.domain.sanbiao.catalogue import IndicatorDef
from civicgrid.domain.sanbiao.gaps import Gap
from civicgrid.domain.sanbiao.milestones import Status
from civicgrid.services.sanbiao.board import Board, Card
from civicgrid.services.sanbiao.milestones import AssessedMilestone
from civicgrid.web.page import Page

BAND_Z = 1.96  # the forecast band: expected value ± 1.96 standard deviations (95 %)
# The catalogue's units are Chinese data; an English page reads these instead.
EN_UNITS = {
    "件": "cases",
    "个": "",
    "户": "",
    "亿元": "× 100M yuan",
    "分钟": "min",
    "工作小时": "working hours",
}


def local_unit(page: Page, unit: str) -> str:
    if page.language.tag == "en":
        return EN_UNITS.get(unit, unit)
    return unit


def figure(value: float | None, unit: str = "") -> str:
    """`value` as people read it: one decimal for a rate, up to two otherwise."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.1f} %"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def raw(value: float | None) -> str:
    """For a data-value attribute: the number without formatting, empty when there is none."""
    return "" if value is None else f"{round(value, 4):g}"


def gap_text(gap: Gap | None, unit: str) -> str:
    if gap is None:
        return "—"
    sign = "+" if gap.absolute > 0 else ""
    relative = f" ({gap.relative:+.1%})" if gap.relative is not None else ""
    return f"{sign}{figure(gap.absolute, unit)}{relative}"


def status_words(page: Page) -> dict[Status, str]:
    _ = page.gettext
    return {
        Status.NOT_STARTED: _("not started"),
        Status.ON_TRACK: _("on track"),
        Status.AT_RISK: _("at risk"),
        Status.ACHIEVED: _("achieved"),
        Status.MISSED: _("late"),
    }


def milestone_note(page: Page, assessed: AssessedMilestone) -> str:
    """Why the milestone has its status, in the page's language."""
    _ = page.gettext
    m, a = assessed.milestone, assessed.assessment
    if a.status is Status.ACHIEVED:
        if m.condition is None:
            return _("Evidence approved by %(who)s", who=m.approved_by or "")
        return _("Condition met")
    if a.status is Status.MISSED:
        return _("Not met by %(day)s", day=m.deadline.isoformat())
    if a.forecast is not None:
        chance = format(a.forecast.probability, ".0%")
        return _("%(chance)s chance of meeting it by the deadline", chance=chance)
    if m.condition is None:
        if m.evidence:
            return _("%(n)s evidence item(s) awaiting approval", n=len(m.evidence))
        return _("No evidence yet")
    if a.points:
        return _("Too few values to forecast, so not shown as on track")
    return _("No values yet")


def condition_text(
    page: Page, assessed: AssessedMilestone, catalogue: dict[str, IndicatorDef]
) -> str:
    c = assessed.milestone.condition
    if c is None:
        return ""
    unit = local_unit(page, catalogue[c.indicator].unit) if c.indicator in catalogue else ""
    return f"{c.comparison.value} {figure(c.threshold, unit)}"


def card_name(page: Page, card: Card) -> str:
    return page.name(card.indicator.name_zh, card.indicator.name_en)


def gap_chart(page: Page, board: Board) -> dict[str, Any]:
    """Relative gaps (%) to the standard and to the best benchmark, per indicator."""
    rows = [c for c in board.cards if c.to_standard or c.to_benchmark]
    return {
        "names": [card_name(page, c) for c in rows],
        "standard": [_share(c.to_standard) for c in rows],
        "benchmark": [_share(c.to_benchmark) for c in rows],
        "labels": {
            "standard": page.gettext("Gap to the standard"),
            "benchmark": page.gettext("Gap to the best benchmark"),
            "unit": page.gettext("% short (negative: ahead)"),
        },
    }


def ranking_chart(page: Page, board: Board) -> dict[str, Any]:
    """Each card's sibling standings, best first, with the board's own area marked."""
    return {
        c.indicator.code: {
            "name": card_name(page, c),
            "unit": local_unit(page, c.indicator.unit),
            "period": c.period,
            "rows": [
                {
                    "name": page.name(s.area.name_zh, s.area.name_en),
                    "value": round(s.value, 4),
                    "rank": s.rank.rank,
                    "mine": s.area.code == board.area.code,
                }
                for s in c.siblings
            ],
        }
        for c in board.cards
        if c.siblings
    }


def forecast_chart(page: Page, assessed: AssessedMilestone) -> dict[str, Any] | None:
    """The values so far, the threshold, and the forecast band out to the deadline."""
    m, a = assessed.milestone, assessed.assessment
    if m.condition is None or not a.points:
        return None
    last = a.points[-1]
    band = None
    if a.forecast is not None:
        f = a.forecast
        band = {
            "from": last.on.isoformat(),
            "start": last.value,
            "expected": round(f.expected_at_deadline, 4),
            "low": round(f.expected_at_deadline - BAND_Z * f.spread_at_deadline, 4),
            "high": round(f.expected_at_deadline + BAND_Z * f.spread_at_deadline, 4),
        }
    return {
        "points": [[p.on.isoformat(), round(p.value, 4)] for p in a.points],
        "threshold": m.condition.threshold,
        "deadline": m.deadline.isoformat(),
        "band": band,
        "labels": {
            "values": page.gettext("Values"),
            "threshold": page.gettext("Threshold"),
            "forecast": page.gettext("Forecast (95 % band)"),
        },
    }


def _share(gap: Gap | None) -> float | None:
    if gap is None or gap.relative is None:
        return None
    return round(100 * gap.relative, 2)
