"""`civicgrid sensors …`, `readings prune` and `alerts check-rules`, in-process."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner, Result

from civicgrid.bootstrap import Container
from civicgrid.cli.main import app
from civicgrid.services.area_import import import_areas
from civicgrid.services.sensor_ports import ReadingColumns
from tests.factories import centre_of, small_city
from tests.fixtures import MICRO, TEST_SECRET


@pytest.fixture
def run(container: Container, tmp_path: Path) -> Callable[..., Result]:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    env = {
        "CIVICGRID_DATABASE_URL": container.settings.database_url,
        "CIVICGRID_DATA_DIR": str(tmp_path / "var"),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
        "CIVICGRID_SNAP_TOLERANCE_M": None,
    }
    runner = CliRunner(env=env)
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


def _point() -> tuple[float, float]:
    return centre_of(next(a for a in small_city() if a.code == MICRO))


def test_sensors_import_from_csv_and_geojson_then_list_and_retire(
    run: Callable[..., Result], tmp_path: Path, container: Container
) -> None:
    lat, lon = _point()
    csv_file = tmp_path / "sensors.csv"
    csv_file.write_text(
        "id,type,lon,lat,department,gateway,attr.closure_depth\n"
        f"WL-1,water_level_underpass,{lon},{lat},water_affairs,GW-1,0.4\n"
        f"BAD-1,water_level_underpass,abc,{lat},water_affairs,,\n",
        "utf-8",
    )
    result = run("sensors", "import", str(csv_file))
    assert result.exit_code == 2, result.output
    assert "added 1, already registered 0, rejected 1" in result.output
    assert "BAD-1: lon and lat must be numbers" in result.output
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "id": "SM-1",
            "type": "smoke",
            "department": "fire_rescue",
            "attributes": {"room": 3},
        },
    }
    geo = tmp_path / "sensors.geojson"
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    assert run("sensors", "import", str(geo)).exit_code == 0
    with container.iot_uow() as uow:
        wl, sm = uow.sensors.get("WL-1"), uow.sensors.get("SM-1")
    assert wl is not None
    assert sm is not None
    assert (wl.area_code, wl.gateway, dict(wl.attributes)) == (
        MICRO,
        "GW-1",
        {"closure_depth": 0.4},
    )
    assert dict(sm.attributes) == {"room": 3.0}
    listing = run("sensors", "list").output
    assert "WL-1" in listing
    assert "2 sensor(s)" in listing
    assert run("sensors", "retire", "WL-1").exit_code == 0
    again = run("sensors", "retire", "WL-1")
    assert again.exit_code == 2
    assert "already retired" in again.output
    token = run("sensors", "token", "GW-1", "--gateway").output.strip()
    assert token.startswith("cgd_")


def test_readings_prune_keeps_the_retention_period(
    run: Callable[..., Result], container: Container
) -> None:
    now = datetime.now(UTC)
    stamps = [now - timedelta(days=100), now - timedelta(days=10)]
    for stamp in stamps:
        _store_one(container, stamp)
    result = run("readings", "prune", "--keep-days", "30")
    assert "removed 1 reading(s) older than 30 day(s)" in result.output
    with container.iot_uow() as uow:
        assert uow.readings.count() == 1


def _store_one(container: Container, received: datetime) -> None:
    stamps = [received]
    with container.iot_uow() as uow:
        batch = uow.readings.new_batch("default", received, 1)
        uow.readings.insert(
            batch,
            ReadingColumns(
                sensor_ids=["X"],
                ts_ms=np.array([round(t.timestamp() * 1000) for t in stamps], np.int64),
                values=np.array([1.0]),
                late=np.array([False]),
            ),
        )
        uow.commit()


def test_check_rules_reads_the_packaged_rules_and_refuses_a_broken_file(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    assert "9 rule(s), 0 override(s): ok" in run("alerts", "check-rules").output
    broken = tmp_path / "rules.yaml"
    broken.write_text("rules:\n  - id: x\n    when: sideways\n", "utf-8")
    result = run("alerts", "check-rules", str(broken))
    assert result.exit_code == 2
    assert "missing sensor_type" in result.output
