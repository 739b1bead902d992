"""Readings in, alerts and cases out: the pipeline on a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civicgrid.bootstrap import Container
from civicgrid.domain.access import local_operator
from civicgrid.domain.cases.stages import Outcome, Source, Urgency
from civicgrid.services.ingest import Device
from civicgrid.services.sensors import SensorDraft, register_sensors, retire_sensor
from tests.fixtures import MICRO
from tests.integration.iot_world import T0, IotWorld, build_world, rule_set


@pytest.fixture
def world(container: Container) -> IotWorld:
    return build_world(container)


def _alerts(world: IotWorld) -> list[tuple[str, str, int, bool, int | None]]:
    with world.container.iot_uow() as uow:
        page = uow.alerts.within(["/"], active=None, offset=0, limit=100)
    return [(a.sensor_id, a.rule_id, a.severity, a.active, a.case_id) for a in reversed(page.items)]


def test_a_sensor_is_located_to_its_micro_grid_once_at_registration(world: IotWorld) -> None:
    with world.container.iot_uow() as uow:
        sensor = uow.sensors.get("WL-1")
    assert sensor is not None
    assert sensor.area_code == MICRO
    assert sensor.area_path.endswith(f"/{MICRO}/")


def test_an_alert_opens_a_sensor_case_at_the_sensors_micro_grid(world: IotWorld) -> None:
    result = world.minutes("WL-1", [0.2, 0.2, 0.2])
    assert (result.accepted, result.rejected, result.duplicates) == (3, [], [])
    [(sensor, rule, severity, active, case_id)] = _alerts(world)
    assert (sensor, rule, severity, active) == ("WL-1", "flood", 2, True)
    assert case_id is not None
    with world.container.uow() as uow:
        case = uow.cases.get(case_id)
    assert case is not None
    assert (case.area_code, case.category, case.source) == (MICRO, "event:0407", Source.SENSOR)
    assert case.urgency is Urgency.NORMAL
    assert "WL-1" in case.description
    assert "黄色预警" in case.description


def test_a_red_alert_is_reported_urgently_to_every_level(world: IotWorld) -> None:
    world.minutes("WL-1", [0.9, 0.9, 0.9])
    [(_, _, severity, _, case_id)] = _alerts(world)
    assert severity == 4
    with world.container.uow() as uow:
        case = uow.cases.get(case_id or 0)
    assert case is not None
    assert case.urgency is Urgency.URGENT


def test_resends_are_duplicates_and_bad_rows_never_stop_a_batch(world: IotWorld) -> None:
    world.minutes("WL-1", [0.0, 0.0])
    result = world.send(
        [
            ("WL-1", T0, 0.0),  # stored already
            ("WL-1", T0 + timedelta(minutes=2), 0.01),
            ("WL-1", T0 + timedelta(minutes=2), 0.01),  # twice in the batch
            ("NOPE", T0, 1.0),
            ("WL-2", T0, 99.0),  # deeper than an underpass can flood
            ("WL-2", T0 + timedelta(days=1), 0.0),  # from the future
            ("WL-2", T0, float("nan")),
        ],
        now=T0 + timedelta(minutes=3),
    )
    assert result.accepted == 1
    assert result.duplicates == [0, 2]
    reasons = dict(result.rejected)
    assert reasons[3] == "unknown sensor NOPE"
    assert "outside the physical range" in reasons[4]
    assert "ahead of the server clock" in reasons[5]
    assert "not a finite number" in reasons[6]
    with world.container.iot_uow() as uow:
        assert uow.readings.count() == 3


def test_a_late_reading_is_stored_but_does_not_fire(world: IotWorld) -> None:
    world.minutes("WL-1", [0.0], start=10)
    result = world.send(
        [("WL-1", T0 + timedelta(minutes=t), 0.9) for t in range(5)], now=T0 + timedelta(minutes=11)
    )
    assert (result.accepted, result.late) == (5, 5)
    assert _alerts(world) == []


def test_a_device_token_sends_only_its_own_sensors_readings(world: IotWorld) -> None:
    rows = [("WL-1", T0, 0.0), ("WL-2", T0, 0.0), ("GAS-1", T0, 0.0)]
    gateway = world.send(rows, device=Device("GW-1", "gateway"))
    assert gateway.accepted == 2
    assert gateway.rejected == [(2, "this gateway token may not send readings of GAS-1")]
    sensor = world.send(
        [("GAS-1", T0, 1.0), ("WL-1", T0 + timedelta(minutes=1), 0.0)],
        device=Device("GAS-1", "sensor"),
    )
    assert sensor.accepted == 1


def test_clearing_closes_the_case_as_resolved_by_sensor_when_the_rule_says_so(
    container: Container,
) -> None:
    world = build_world(container, rule_set(close_case_on_clear=True))
    world.minutes("WL-1", [0.3, 0.3, 0.3])
    world.minutes("WL-1", [0.0] * 6, start=3)
    [(_, _, _, active, case_id)] = _alerts(world)
    assert not active
    with world.container.uow() as uow:
        case = uow.cases.get(case_id or 0)
    assert case is not None
    assert case.finished
    assert case.outcome is Outcome.RESOLVED_BY_SENSOR


def test_clearing_adds_a_note_and_a_refire_in_the_window_reuses_the_open_case(
    world: IotWorld,
) -> None:
    world.minutes("WL-1", [0.3, 0.3, 0.3])
    world.minutes("WL-1", [0.0] * 6, start=3)
    world.minutes("WL-1", [0.3] * 3, start=9)
    alerts = _alerts(world)
    assert len(alerts) == 1  # the same alert, fired twice, one case
    [(_, _, _, active, case_id)] = alerts
    assert active
    with world.container.uow() as uow:
        events = uow.cases.events(case_id or 0)
    notes = [e.data.get("text", "") for e in events if e.type.value == "noted"]
    assert any("cleared" in str(n) for n in notes)
    assert any("fired again" in str(n) for n in notes)


def test_a_restart_keeps_a_pending_for_and_does_not_refire(world: IotWorld) -> None:
    world.minutes("WL-1", [0.3, 0.3, 0.3])  # fires at minute 2
    world.minutes("WL-2", [0.3, 0.3])  # pending: two minutes not yet held
    replayed = world.restart(now=T0 + timedelta(minutes=3))
    assert replayed >= 1  # batches after the last snapshot came back from storage
    world.minutes("WL-1", [0.3], start=3)
    world.minutes("WL-2", [0.3], start=2)
    assert sorted((a[0], a[3]) for a in _alerts(world)) == [("WL-1", True), ("WL-2", True)]


def test_rules_reload_without_losing_state(world: IotWorld) -> None:
    world.minutes("WL-1", [0.3, 0.3])
    world.pipeline.reload_rules(rule_set(**{"for": "3m"}))
    world.minutes("WL-1", [0.3], start=2)
    assert _alerts(world) == []
    world.minutes("WL-1", [0.3], start=3)
    assert len(_alerts(world)) == 1


def test_a_retired_sensor_keeps_its_history_and_its_readings_are_refused(world: IotWorld) -> None:
    world.minutes("WL-2", [0.0])
    retire_sensor(world.container.iot_uow(), local_operator(), "WL-2", now=T0)
    world.pipeline.refresh(T0)
    result = world.minutes("WL-2", [0.0], start=1)
    assert result.rejected == [(0, "sensor WL-2 is retired")]
    with world.container.iot_uow() as uow:
        assert uow.readings.count() == 1


def test_a_sensor_registered_later_is_picked_up_by_the_running_pipeline(world: IotWorld) -> None:
    draft = SensorDraft("WL-9", "water_level_underpass", world.lon, world.lat, "water_affairs")
    register_sensors(
        world.container.iot_uow(),
        world.container.locators,
        local_operator(),
        [draft],
        now=T0,
        snap_tolerance_m=50,
    )
    assert world.minutes("WL-9", [0.0]).accepted == 1


def test_registration_rejects_bad_rows_with_reasons(world: IotWorld) -> None:
    drafts = [
        SensorDraft("X-1", "periscope", world.lon, world.lat, "water_affairs"),
        SensorDraft("X-2", "gas", 10.0, 10.0, "gas_supply"),
        SensorDraft("WL-1", "gas", world.lon, world.lat, "gas_supply"),
    ]
    report = register_sensors(
        world.container.iot_uow(),
        world.container.locators,
        local_operator(),
        drafts,
        now=T0,
        snap_tolerance_m=50,
    )
    reasons = dict(report.rejected)
    assert "unknown type 'periscope'" in reasons["X-1"]
    assert "outside every micro-grid" in reasons["X-2"]
    assert report.existing == ["WL-1"]


def test_no_data_and_gateway_offline_come_from_the_timer(container: Container) -> None:
    silent = {
        "id": "silent",
        "sensor_type": "water_level_underpass",
        "category": "",
        "when": "no_data",
        "levels": [{"severity": "blue", "threshold": "10m"}],
    }
    from civicgrid.domain.alerts import parse_rule_set

    world = build_world(container, parse_rule_set({"rules": [silent], "gateway_timeout": "5m"}))
    world.send([("WL-1", T0, 0.0), ("WL-2", T0, 0.0), ("GAS-1", T0, 0.0)])
    events = world.pipeline.tick(T0 + timedelta(minutes=10))
    assert [(e.sensor_id, e.rule_id) for e in events] == [("GW-1", "gateway_offline")]
    assert {(a[0], a[1]) for a in _alerts(world)} == {("GW-1", "gateway_offline")}
