"""/staff/sensors/{id}: a sensor's registry entry, thresholds and readings chart.

The chart's data comes as JSON from /staff/sensors/{id}/readings (the last 24 h unless a
range is chosen); static/js/staff-sensor-chart.js draws it with the vendored ECharts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query
from starlette.responses import JSONResponse, Response

from civicgrid.domain.alerts import Severity
from civicgrid.domain.errors import InvalidInput
from civicgrid.services.sensor_readings import (
    SensorSeries,
    access_sensor,
    get_sensor_series,
    list_sensor_alerts,
    sensor_thresholds,
)
from civicgrid.web.alert_labels import SEVERITY_CLASS, AlertLabels
from civicgrid.web.page import SECURITY_HEADERS
from civicgrid.web.staff import StaffDep, StaffPage, StaffRoute

router = APIRouter(prefix="/staff/sensors", route_class=StaffRoute, include_in_schema=False)

SensorId = Annotated[str, Path(min_length=1, max_length=64)]
RANGES = {
    "6h": timedelta(hours=6),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
DEFAULT_RANGE = "24h"


@router.get("/{sensor_id}")
def sensor_page(staff: StaffDep, sensor_id: SensorId, range: str = DEFAULT_RANGE) -> Response:
    c = staff.page.container
    sensor = access_sensor(c.iot_uow(), staff.principal, sensor_id)
    chosen = range if range in RANGES else DEFAULT_RANGE
    now = c.clock()
    alerts = list_sensor_alerts(c.iot_uow(), staff.principal, sensor.id, now - RANGES[chosen], now)
    with c.uow() as uow:
        area = uow.areas.get(sensor.area_code, with_geometry=False)
    data_url = f"/staff/sensors/{quote(sensor.id, safe='')}/readings?" + urlencode(
        {"range": chosen, "lang": staff.page.language.tag}
    )
    context = {
        "sensor": sensor,
        "area": area,
        "facts": sensor.type.facts,
        "thresholds": sensor_thresholds(c.alert_pipeline.rules, sensor),
        "alerts": alerts,
        "rules": c.alert_pipeline.rules,
        "labels": AlertLabels(staff.page),
        "severity_class": SEVERITY_CLASS,
        "ranges": [(key, _range_label(staff, key)) for key in RANGES],
        "chosen": chosen,
        "data_url": data_url,
    }
    return staff.render("staff/sensor.html", context)


@router.get("/{sensor_id}/readings")
def sensor_readings(
    staff: StaffDep,
    sensor_id: SensorId,
    range: Annotated[str, Query(max_length=8)] = DEFAULT_RANGE,
    start: Annotated[str, Query(max_length=40)] = "",
    end: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The chart's data: readings as [ms, value], thresholds, and alert spans."""
    c = staff.page.container
    begin, finish = _range(c.clock(), range, start, end)
    series = get_sensor_series(c.iot_uow(), staff.principal, sensor_id, begin, finish)
    return JSONResponse(_chart_data(staff, series), headers=SECURITY_HEADERS)


def _range_label(staff: StaffPage, key: str) -> str:
    _ = staff.page.gettext
    return {
        "6h": _("Last 6 hours"),
        "24h": _("Last 24 hours"),
        "7d": _("Last 7 days"),
        "30d": _("Last 30 days"),
    }[key]


def _range(now: datetime, name: str, start: str, end: str) -> tuple[datetime, datetime]:
    if not start:
        span = RANGES.get(name)
        if span is None:
            raise InvalidInput(f"range is one of {', '.join(RANGES)}", field="range")
        return now - span, now
    return _moment(start, "start"), _moment(end, "end") if end else now


def _moment(text: str, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} is not an ISO 8601 time", field=field) from None
    if moment.tzinfo is None:
        raise InvalidInput(f"{field} needs a zone, like +08:00", field=field)
    return moment.astimezone(UTC)


def _chart_data(staff: StaffPage, series: SensorSeries) -> dict[str, Any]:
    labels = AlertLabels(staff.page)
    rules = staff.page.container.alert_pipeline.rules
    sensor = series.sensor
    end_ms = round(series.end.timestamp() * 1000)
    thresholds = [
        {
            "value": t.value,
            "severity": SEVERITY_CLASS[t.severity] if t.severity else "clear",
            "label": (
                labels.severity(t.severity) if t.severity else staff.page.gettext("Clear level")
            ),
        }
        for t in sensor_thresholds(rules, sensor)
        if t.in_units
    ]
    alerts = [
        {
            "id": a.id,
            "severity": SEVERITY_CLASS[Severity(a.severity)],
            "label": labels.severity(a.severity)
            + " · "
            + labels.rule(rules.rule(a.rule_id), a.rule_id),
            "fired": round(a.fired_at.timestamp() * 1000),
            "cleared": round(a.cleared_at.timestamp() * 1000) if a.cleared_at else None,
            "until": min(end_ms, round(a.cleared_at.timestamp() * 1000))
            if a.cleared_at
            else end_ms,
        }
        for a in series.alerts
    ]
    return {
        "sensor": sensor.id,
        "unit": sensor.type.facts.unit,
        "name": labels.sensor_type(str(sensor.type)),
        "start": round(series.start.timestamp() * 1000),
        "end": end_ms,
        "stored": series.stored,
        "points": [[t, v] for t, v in zip(series.ts_ms, series.values, strict=True)],
        "thresholds": thresholds,
        "alerts": alerts,
        "words": {
            "value": staff.page.gettext("Reading"),
            "fired": staff.page.gettext("Fired"),
            "cleared": staff.page.gettext("Cleared"),
            "empty": staff.page.gettext("No readings in this range."),
        },
    }
