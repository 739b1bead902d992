"""Which device may send a sensor's readings: the sensor itself, or its gateway."""

from __future__ import annotations

from collections.abc import Sequence

from civicgrid.services.sensor_ports import IotUnitOfWork


def get_sensor_gateways(uow: IotUnitOfWork, sensor_ids: Sequence[str]) -> dict[str, str | None]:
    """Each active sensor among `sensor_ids` → its gateway (None: it sends directly)."""
    with uow:
        found = uow.sensors.get_many(sensor_ids)
    return {s.id: s.gateway for s in found.values() if s.active}


def may_send(device: str, sensor_id: str, gateway: str | None) -> bool:
    return device in (sensor_id, gateway)
