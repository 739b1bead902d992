from __future__ import annotations

from dataclasses import replace

import pytest
from shapely.geometry import box

from civicgrid.bootstrap import Container
from civicgrid.config import PLACEHOLDER_SECRET, Settings
from civicgrid.domain.access import local_operator
from civicgrid.services.area_import import import_areas
from civicgrid.services.locating import locate_point
from tests.factories import small_city

FIRST = "41010200100100101"


def locate(container: Container, lat: float, lon: float) -> str | None:
    found = locate_point(
        container.uow(), container.locators, local_operator(), lat=lat, lon=lon, snap_tolerance_m=0
    )
    return found.location.code


def test_the_spatial_index_follows_an_import_that_changes_a_polygon(container: Container) -> None:
    areas = small_city()
    import_areas(container.uow(), areas, english_name=container.english_name)
    first = next(a for a in areas if a.code == FIRST)
    assert first.geometry is not None
    x0, y0, x1, y1 = first.geometry.bounds
    assert locate(container, (y0 + y1) / 2, (x0 + x1) / 2) == FIRST
    # Shrink the micro-grid to its left half: its right half now lies outside any micro-grid.
    shrunk = [
        replace(a, geometry=box(x0, y0, (x0 + x1) / 2, y1)) if a.code == FIRST else a for a in areas
    ]
    import_areas(container.uow(), shrunk, english_name=container.english_name)
    assert locate(container, (y0 + y1) / 2, x0 + (x1 - x0) * 0.75) is None
    assert locate(container, (y0 + y1) / 2, x0 + (x1 - x0) * 0.25) == FIRST


@pytest.mark.parametrize("env", ["test", "production"])
def test_settings_refuse_the_placeholder_secret_outside_development(env: str) -> None:
    with pytest.raises(ValueError, match="placeholder"):
        Settings(env=env, secret_key=PLACEHOLDER_SECRET)  # type: ignore[arg-type]


def test_development_runs_with_the_placeholder_secret() -> None:
    assert Settings(env="development").secret_key == PLACEHOLDER_SECRET
