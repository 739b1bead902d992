"""The citizen world with administrators: a city administrator of 410100, and a second
city (410200) with its own administrator, for the administration pages' tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from shapely.geometry import box

from civicgrid.domain.access import Role
from civicgrid.domain.areas import Area, Level
from civicgrid.services import users
from civicgrid.services.area_import import import_areas
from tests.integration.citizen_world import MONDAY_9AM, CitizenWorld, PlainHasher
from tests.web.conftest import csrf_token

OTHER_CITY = "410200"
OTHER_DISTRICT = "410202"


def add_admins(world: CitizenWorld) -> None:
    c = world.container
    other = [
        Area(OTHER_CITY, Level.CITY, "另一市", "Other City", geometry=box(115, 34, 116, 35)),
        Area(
            OTHER_DISTRICT,
            Level.DISTRICT,
            "另一区",
            "Other District",
            parent_code=OTHER_CITY,
            geometry=box(115.0, 34.0, 115.5, 35.0),
        ),
    ]
    import_areas(c.uow(), other, english_name=c.english_name)
    for name, code in (("admin", "410100"), ("other_admin", OTHER_CITY)):
        users.add_user(c.uow(), PlainHasher(), name, "long enough password", now=MONDAY_9AM)
        users.grant_role(c.uow(), name, Role.CITY_ADMIN, code, now=MONDAY_9AM)
    users.add_user(c.uow(), PlainHasher(), "far_worker", "long enough password", now=MONDAY_9AM)
    users.grant_role(c.uow(), "far_worker", Role.DISTRICT_OFFICER, OTHER_DISTRICT, now=MONDAY_9AM)


def post_form(client: TestClient, page: str, action: str, data: dict[str, str]) -> Any:
    """Posts `data` with the form token of `page`; no redirect is followed."""
    token = csrf_token(client.get(page).text)
    return client.post(action, data={"csrf_token": token, **data}, follow_redirects=False)
