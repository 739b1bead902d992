"""三标 roles × areas: reads inside one's subtree only; changes only where one manages.

The expected answer comes from the grant's path being a prefix of the area's path
(`within`), and from the role being one that manages areas; never from the guard.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from civicgrid.domain.access import Role
from tests.api.conftest import AREAS, MEMBERS, Accounts, within

MANAGERS = {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.STREET_OFFICER, Role.COMMUNITY_OFFICER}
SAMPLE = ["410100", "410102", "410103", "410102001", "410102001001", "41010200100100101"]
RETAIL = "economy.retail_sales"


@pytest.mark.parametrize("member", sorted(MEMBERS))
def test_reads_and_writes_stay_inside_the_callers_subtree(
    shared_client: TestClient, shared_accounts: Accounts, member: str
) -> None:
    who = MEMBERS[member]
    headers = shared_accounts.headers(member)
    for code in SAMPLE:
        assert code in AREAS
        inside = who.role is not None and within(code, who.area)
        for path, params in (
            ("/api/v1/gaps", {"area": code}),
            ("/api/v1/standards", {"area": code}),
            ("/api/v1/milestones", {"area": code}),
            ("/api/v1/conversion", {"area": code}),
            ("/api/v1/projects", {"area": code}),
        ):
            got = shared_client.get(path, params=params, headers=headers)
            assert got.status_code == (200 if inside else 403), (member, path, code, got.text)
        manages = inside and who.role in MANAGERS
        body = {"area": code, "indicator": RETAIL, "period": "2030", "rule": "manual",
                "target": 1.0}  # fmt: skip
        made = shared_client.post("/api/v1/standards", json=body, headers=headers)
        assert made.status_code == (201 if manages else 403), (member, code, made.text)
        value = {"indicator": RETAIL, "area": code, "period": "2031", "value": 1.0,
                 "source": "test", "reason": f"again by {member}"}  # fmt: skip
        entered = shared_client.post("/api/v1/indicators/values", json=value, headers=headers)
        assert entered.status_code == (201 if manages else 403), (member, code, entered.text)
