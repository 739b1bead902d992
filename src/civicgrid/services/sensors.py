"""Registering sensors (each located to its micro-grid once), retiring them, their tokens."""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from civicgrid.domain.access import Action, Principal, authorize, scopes_for
from civicgrid.domain.areas import Area
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.domain.sensors import Sensor, SensorType
from civicgrid.services.ports import LocatorProvider, Page
from civicgrid.services.sensor_ports import IotUnitOfWork
from civicgrid.services.users import token_digest

DEVICE_TOKEN_PREFIX = "cgd_"  # noqa: S105 - a prefix that marks device tokens, not a secret
MAX_ID = 64


@dataclass(frozen=True, slots=True)
class SensorDraft:
    id: str
    type: str
    lon: float
    lat: float
    department: str
    gateway: str | None = None
    attributes: Mapping[str, float] = field(default_factory=dict)
    name: str = ""
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class Registration:
    added: list[str]
    existing: list[str]
    rejected: list[tuple[str, str]]  # (id or row, reason)


def register_sensors(
    uow: IotUnitOfWork,
    locators: LocatorProvider,
    principal: Principal,
    drafts: Sequence[SensorDraft],
    *,
    now: datetime,
    snap_tolerance_m: float,
) -> Registration:
    """Locate each new sensor to its micro-grid (once: the grid is stored with it)."""
    added: list[Sensor] = []
    rejected: list[tuple[str, str]] = []
    with uow:
        existing = uow.sensors.existing_ids([d.id for d in drafts])
        locator = locators.current(uow)
        areas: dict[str, Area] = {}
        seen: set[str] = set()
        for draft in drafts:
            if draft.id in existing or draft.id in seen:
                continue
            problem = _problem(draft)
            if problem:
                rejected.append((draft.id or "?", problem))
                continue
            location = locator.locate(draft.lon, draft.lat, snap_tolerance_m)
            if location.code is None:
                rejected.append(
                    (draft.id, f"lon {draft.lon}, lat {draft.lat} is outside every micro-grid")
                )
                continue
            area = areas.get(location.code) or uow.areas.get(location.code, with_geometry=False)
            if area is None:
                rejected.append((draft.id, f"micro-grid {location.code} vanished; try again"))
                continue
            areas[area.code] = area
            authorize(principal, Action.ADMINISTER, area.path, f"a sensor at area {area.code}")
            seen.add(draft.id)
            added.append(
                Sensor(
                    id=draft.id,
                    type=SensorType(draft.type),
                    lon=draft.lon,
                    lat=draft.lat,
                    area_code=area.code,
                    area_path=area.path,
                    department=draft.department,
                    registered_at=now,
                    gateway=draft.gateway or None,
                    attributes=dict(draft.attributes),
                    name=draft.name,
                    synthetic=draft.synthetic,
                )
            )
        uow.sensors.add(added)
        uow.commit()
    return Registration(
        added=[s.id for s in added],
        existing=sorted(existing & {d.id for d in drafts}),
        rejected=rejected,
    )


def _problem(draft: SensorDraft) -> str:
    if not draft.id or len(draft.id) > MAX_ID or not draft.id.isprintable() or "/" in draft.id:
        return f"id must be 1 to {MAX_ID} printable characters without '/'"
    if draft.type not in {t.value for t in SensorType}:
        return f"unknown type {draft.type!r}; one of {', '.join(t.value for t in SensorType)}"
    if not (math.isfinite(draft.lon) and math.isfinite(draft.lat)):
        return "lon and lat must be numbers"
    if not draft.department:
        return "an owner department is required"
    bad = [k for k, v in draft.attributes.items() if not math.isfinite(v)]
    return f"attributes must be numbers: {', '.join(bad)}" if bad else ""


def retire_sensor(
    uow: IotUnitOfWork, principal: Principal, sensor_id: str, *, now: datetime
) -> Sensor:
    """Stop accepting its readings; its readings and alerts stay."""
    with uow:
        sensor = uow.sensors.get(sensor_id)
        if sensor is None:
            raise NotFound(f"no sensor {sensor_id}", field="sensor_id")
        authorize(principal, Action.ADMINISTER, sensor.area_path, f"sensor {sensor_id}")
        if not uow.sensors.retire(sensor_id, now):
            raise InvalidInput(f"sensor {sensor_id} is already retired", field="sensor_id")
        uow.commit()
        retired = uow.sensors.get(sensor_id)
    assert retired is not None  # noqa: S101 - retiring keeps the row
    return retired


def list_sensors(
    uow: IotUnitOfWork,
    principal: Principal,
    *,
    sensor_type: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> Page[Sensor]:
    with uow:
        return uow.sensors.within(
            scopes_for(principal, Action.READ), sensor_type=sensor_type, offset=offset, limit=limit
        )


def issue_device_token(uow: IotUnitOfWork, subject: str, kind: str, *, now: datetime) -> str:
    """A token for one sensor, or for a gateway (good for all sensors behind it)."""
    if kind not in ("sensor", "gateway"):
        raise InvalidInput("a device token is for a sensor or a gateway", field="kind")
    token = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with uow:
        if kind == "sensor" and uow.sensors.get(subject) is None:
            raise NotFound(f"no sensor {subject}", field="subject")
        uow.sensors.add_token(subject, kind, token_digest(token), now)
        uow.commit()
    return token


def device_for_token(uow: IotUnitOfWork, token: str) -> tuple[str, str] | None:
    with uow:
        return uow.sensors.token_subject(token_digest(token))


def prune_readings(uow: IotUnitOfWork, *, now: datetime, keep_days: int) -> int:
    """Drop raw readings older than the retention period; alerts and cases keep their
    evidence, so telemetry need not live in the case database for ever."""
    if keep_days < 1:
        raise InvalidInput("keep at least one day of readings", field="keep_days")
    with uow:
        removed = uow.readings.prune(now - timedelta(days=keep_days))
        uow.commit()
    return removed
