"""Alerts for the alert and sensor pages: sensors in two districts of the citizen world, and
readings sent through the ingestion pipeline so that the default rules fire (and open cases).

Readings lie in the 40 minutes before MONDAY_9AM, the pages' clock:
- WL-1, an underpass at MICRO (district 410102), rises to 0.3 m: an orange alert;
- GAS-1 at MICRO sees 60 %LEL: a red alert;
- WL-9 in district 410103 rises to 0.3 m too: an orange alert the 410102 staff never see;
- AQ-1 at MICRO reads AQI 250 from 08:50: yellow, but pending (its rule wants 30 minutes);
- AQ-9 in district 410103 is pending the same way.
The world adds "watcher", a 领导 (leader: reads, never acts) of district 410102.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from civicgrid.domain.access import Role, local_operator
from civicgrid.services import users
from civicgrid.services.ingest import IncomingReadings, IngestResult
from civicgrid.services.sensor_ports import StoredAlert
from civicgrid.services.sensors import SensorDraft, register_sensors
from tests.factories import centre_of, small_city
from tests.fixtures import PlainHasher
from tests.integration.citizen_world import MICRO, MONDAY_9AM, CitizenWorld
from tests.web.conftest import STAFF_PASSWORD

OTHER_MICRO = "41010300100100101"  # in district 410103
START = MONDAY_9AM - timedelta(minutes=40)


@dataclass
class AlertsWorld:
    citizens: CitizenWorld

    def send(self, sensor: str, values: list[float], start: datetime = START) -> IngestResult:
        """One reading a minute from `start`, through the pipeline the app uses."""
        c = self.citizens.container
        moments = [start + timedelta(minutes=i) for i in range(len(values))]
        incoming = IncomingReadings(
            sensor_ids=[sensor] * len(values),
            ts_ms=np.array([round(m.timestamp() * 1000) for m in moments], np.int64),
            values=np.array(values, np.float64),
            rows=np.arange(len(values)),
        )
        pipeline = c.alert_pipeline.ensure_started(moments[-1])
        return pipeline.ingest(incoming, None, moments[-1])

    def alert_of(self, sensor: str, rule_id: str = "") -> StoredAlert:
        """The sensor's (latest) alert, of one rule if given."""
        c = self.citizens.container
        with c.iot_uow() as uow:
            found = uow.alerts.of_sensor(sensor, START, MONDAY_9AM + timedelta(days=1))
        found = [a for a in found if not rule_id or a.rule_id == rule_id]
        assert found, f"no alert for {sensor} {rule_id}"
        return found[-1]


def build_alerts_world(citizens: CitizenWorld) -> AlertsWorld:
    c = citizens.container
    cities = {a.code: a for a in small_city()}
    lat, lon = centre_of(cities[MICRO])
    olat, olon = centre_of(cities[OTHER_MICRO])
    drafts = [
        SensorDraft(
            "WL-1",
            "water_level_underpass",
            lon,
            lat,
            "water_affairs",
            attributes={"closure_depth": 0.4},
            name="Tunnel east",
        ),
        SensorDraft("GAS-1", "gas", lon, lat, "gas_supply"),
        SensorDraft("WL-9", "water_level_underpass", olon, olat, "water_affairs"),
        SensorDraft("AQ-1", "air_quality", lon, lat, "environment"),
        SensorDraft("AQ-9", "air_quality", olon, olat, "environment"),
    ]
    register_sensors(
        c.iot_uow(),
        c.locators,
        local_operator(),
        drafts,
        now=START - timedelta(days=1),
        snap_tolerance_m=50,
    )
    users.add_user(c.uow(), PlainHasher(), "watcher", STAFF_PASSWORD, now=START)
    users.grant_role(c.uow(), "watcher", Role.LEADER, "410102", now=START)
    world = AlertsWorld(citizens)
    world.send("WL-1", [0.02, 0.02, 0.3, 0.3, 0.3, 0.3, 0.3])
    world.send("GAS-1", [1.0, 60.0, 60.0, 60.0])
    world.send("WL-9", [0.02, 0.3, 0.3, 0.3, 0.3, 0.3])
    world.send("AQ-1", [250.0] * 5, start=MONDAY_9AM - timedelta(minutes=10))
    world.send("AQ-9", [250.0] * 5, start=MONDAY_9AM - timedelta(minutes=10))
    return world
