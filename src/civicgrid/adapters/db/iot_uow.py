"""The unit of work of the IoT use cases: the shared one plus sensors, readings, alerts."""

from __future__ import annotations

from typing import Self

from civicgrid.adapters.db.alert_repository import SqlAlertRepository
from civicgrid.adapters.db.reading_store import SqlReadingStore
from civicgrid.adapters.db.sensor_repository import SqlSensorRepository
from civicgrid.adapters.db.uow import SqlUnitOfWork
from civicgrid.services.sensor_ports import AlertRepository, ReadingStore, SensorRepository


class SqlIotUnitOfWork(SqlUnitOfWork):
    sensors: SensorRepository
    readings: ReadingStore
    alerts: AlertRepository

    def __enter__(self) -> Self:
        super().__enter__()
        self.sensors = SqlSensorRepository(self.session)
        self.readings = SqlReadingStore(self.session)
        self.alerts = SqlAlertRepository(self.session)
        return self
