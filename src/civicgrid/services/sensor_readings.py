"""A sensor's page: its registry entry, its thresholds under the rules, and its readings
over a time range with the alerts that were active then (the chart's data)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from civicgrid.domain.access import Action, Principal, authorize
from civicgrid.domain.alerts import RuleSet, Severity, When
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.domain.sensors import Sensor
from civicgrid.services.sensor_ports import IotUnitOfWork, StoredAlert

MAX_RANGE = timedelta(days=31)
MAX_ROWS = 200_000  # one sensor a reading every 10 s for 23 days; the chart needs far fewer
CHART_POINTS = 3000


@dataclass(frozen=True, slots=True)
class Threshold:
    rule_id: str
    rule_name_zh: str
    rule_name_en: str
    when: When
    severity: Severity | None  # None: the level at which an alert clears
    value: float

    @property
    def in_units(self) -> bool:
        """Above/below thresholds are in the sensor's unit and can be drawn as lines."""
        return self.when in (When.ABOVE, When.BELOW)


@dataclass(frozen=True, slots=True)
class SensorSeries:
    sensor: Sensor
    start: datetime
    end: datetime
    ts_ms: list[int]
    values: list[float]
    stored: int  # readings in the range before thinning
    alerts: list[StoredAlert]


def access_sensor(uow: IotUnitOfWork, principal: Principal, sensor_id: str) -> Sensor:
    """The sensor, if it lies in a subtree the principal may read."""
    with uow:
        sensor = uow.sensors.get(sensor_id)
    if sensor is None:
        raise NotFound(f"no sensor {sensor_id}", field="sensor_id")
    authorize(principal, Action.READ, sensor.area_path, f"sensor {sensor_id}")
    return sensor


def sensor_thresholds(rules: RuleSet, sensor: Sensor) -> list[Threshold]:
    """Each level of each rule for the sensor's type, its per-sensor override and attribute
    thresholds resolved; a level whose attribute the sensor lacks never fires, so is left out."""
    found = []
    for rule in rules.for_type(str(sensor.type)):
        override = rules.override(sensor.id, rule.id)
        if override is not None and not override.enabled:
            continue
        for level in rule.levels:
            value = override.thresholds.get(level.severity) if override else None
            if value is None:
                value = _resolved(sensor, level.threshold, level.attribute)
            if value is not None:
                found.append(
                    Threshold(rule.id, rule.name_zh, rule.name_en, rule.when, level.severity, value)
                )
        clear = override.clear_threshold if override else None
        if clear is None:
            clear = _resolved(sensor, rule.clear_threshold, rule.clear_attribute)
        if clear is not None:
            found.append(Threshold(rule.id, rule.name_zh, rule.name_en, rule.when, None, clear))
    return found


def get_sensor_series(
    uow: IotUnitOfWork,
    principal: Principal,
    sensor_id: str,
    start: datetime,
    end: datetime,
    *,
    points: int = CHART_POINTS,
) -> SensorSeries:
    """Readings in [start, end), thinned to about `points` keeping each bucket's lowest and
    highest reading (a peak that fired an alert stays visible), and the alerts then."""
    if end <= start:
        raise InvalidInput("the range ends after it starts", field="to")
    if end - start > MAX_RANGE:
        raise InvalidInput(f"a range spans at most {MAX_RANGE.days} days", field="from")
    sensor = access_sensor(uow, principal, sensor_id)
    start_ms, end_ms = _ms(start), _ms(end)
    with uow:
        ts, values = uow.readings.of_sensor(sensor_id, start_ms, end_ms, MAX_ROWS)
        alerts = uow.alerts.of_sensor(sensor_id, start, end)
    thin_ts, thin_values = thin_series(ts, values, points)
    return SensorSeries(sensor, start, end, thin_ts, thin_values, len(ts), alerts)


def list_sensor_alerts(
    uow: IotUnitOfWork, principal: Principal, sensor_id: str, start: datetime, end: datetime
) -> list[StoredAlert]:
    """The sensor's alerts active at some moment in [start, end), by firing: the chart's
    marks as a list, for whoever cannot see the chart."""
    access_sensor(uow, principal, sensor_id)
    with uow:
        return uow.alerts.of_sensor(sensor_id, start, end)


def thin_series(
    ts: Sequence[int], values: Sequence[float], points: int
) -> tuple[list[int], list[float]]:
    """At most about `points` readings: in each of points/2 equal runs, the lowest and the
    highest, in time order. Short series come back as they are."""
    if points < 2:
        raise ValueError("keep at least two points")
    n = len(ts)
    if n <= points:
        return list(ts), list(values)
    buckets = points // 2
    kept_ts: list[int] = []
    kept_values: list[float] = []
    for b in range(buckets):
        lo, hi = b * n // buckets, (b + 1) * n // buckets
        low = min(range(lo, hi), key=values.__getitem__)
        high = max(range(lo, hi), key=values.__getitem__)
        for i in sorted({low, high}):
            kept_ts.append(ts[i])
            kept_values.append(values[i])
    return kept_ts, kept_values


def _resolved(sensor: Sensor, threshold: float | None, attribute: str | None) -> float | None:
    if threshold is not None:
        return threshold
    if attribute is not None:
        return sensor.attributes.get(attribute)
    return None


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)
