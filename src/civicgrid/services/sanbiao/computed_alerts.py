"""预警响应时长中位数 and 误报占比, recomputed from the stored alerts' timestamps.

An alert belongs to the period it first fired in (a re-fire that reuses the alert
keeps its first `fired_at`). Silenced alerts are left out: nobody was told of them.
Nothing stamped after the cut-off `context.now` counts, so a past period recomputes
the same.

- Response: minutes from firing to the first acknowledgement, median over the
  period's alerts acknowledged by the cut-off (those still unacknowledged are not
  guessed at).
- False share: of the period's alerts, the percent that cleared by themselves (the
  sensor read normal again, which also closes their case as resolved by sensor)
  before anyone acknowledged them: an alarm nobody had to answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from statistics import median

from civicgrid.domain.areas import Area
from civicgrid.domain.sanbiao.aggregate import common_root
from civicgrid.domain.sanbiao.catalogue import IndicatorDef
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sensor_ports import StoredAlert


def counted(alert: StoredAlert, as_of: datetime) -> bool:
    return alert.fired_at <= as_of and not alert.silenced


def response_minutes_median(alerts: Sequence[StoredAlert], as_of: datetime) -> float | None:
    minutes = [
        (a.acknowledged_at - a.fired_at).total_seconds() / 60
        for a in alerts
        if counted(a, as_of) and a.acknowledged_at is not None and a.acknowledged_at <= as_of
    ]
    return median(minutes) if minutes else None


def cleared_unanswered(alert: StoredAlert, as_of: datetime) -> bool:
    cleared, acknowledged = alert.cleared_at, alert.acknowledged_at
    if cleared is None or cleared > as_of:
        return False  # still firing at the cut-off
    return acknowledged is None or acknowledged > cleared


def false_share(alerts: Sequence[StoredAlert], as_of: datetime) -> float | None:
    considered = [a for a in alerts if counted(a, as_of)]
    if not considered:
        return None
    return 100 * sum(1 for a in considered if cleared_unanswered(a, as_of)) / len(considered)


FORMULAS: dict[str, Callable[[Sequence[StoredAlert], datetime], float | None]] = {
    "alerts.response_minutes_median": response_minutes_median,
    "alerts.false_share": false_share,
}


def compute_alerts(
    uow: SanbiaoUnitOfWork,
    areas: Sequence[Area],
    indicator: IndicatorDef,
    period: PeriodKey,
    context: Context,
) -> dict[str, float]:
    formula = FORMULAS.get(indicator.code)
    if formula is None:
        return {}
    root = common_root(a.path for a in areas)
    span = context.span(period)
    alerts = context.remember(
        ("alerts fired", root, period.key),
        lambda: uow.alerts.fired_between(root, span.start, span.end),
    )
    values = {}
    for area in areas:
        value = formula([a for a in alerts if a.area_path.startswith(area.path)], context.now)
        if value is not None:
            values[area.code] = value
    return values
