"""The storm simulation: floods alert and open cases, a sensor flaps, a gateway drops."""

from __future__ import annotations

from civicgrid.bootstrap import Container
from civicgrid.domain.access import local_operator
from civicgrid.services.area_import import import_areas
from civicgrid.services.sensors_simulation import simulate_storm
from tests.factories import small_city
from tests.integration.iot_world import T0


def test_a_simulated_storm_floods_flaps_and_loses_a_gateway(container: Container) -> None:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    pipeline = container.alert_pipeline.ensure_started(T0)
    report = simulate_storm(
        container.iot_uow(),
        container.locators,
        local_operator(),
        pipeline,
        district="410102",
        start=T0,
        minutes=60,
    )
    assert report.sensors == 9
    assert report.events["fire"] >= 6  # each underpass at least, and the gateway
    assert report.events["flapping_start"] == 1
    with container.iot_uow() as uow:
        alerts = uow.alerts.within(["/"], active=None, offset=0, limit=200).items
        sensors = uow.sensors.all()
    assert all(s.synthetic for s in sensors)
    assert all(s.area_path.startswith("/410100/410102/") for s in sensors)
    flooded = [a for a in alerts if a.rule_id == "underpass_flooding"]
    assert len(flooded) == 6
    assert all(a.case_id is not None for a in flooded)
    assert [a.sensor_id for a in alerts if a.rule_id == "gateway_offline"] == ["SIM-GW-410102-C"]
    [tilt] = [a for a in alerts if a.rule_id == "manhole_tilted"]
    assert tilt.flapping
