"""The enterprise registry and its requests on both engines (万人助万企)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from civicgrid.adapters.indicator_limits import TreeCategoryLimits
from civicgrid.bootstrap import Container
from civicgrid.domain.access import Grant, Principal, Role
from civicgrid.domain.areas import Level
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source, Stage
from civicgrid.domain.enterprises import EnterpriseDraft, HistoryKind, RequestKind
from civicgrid.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from civicgrid.domain.indicators import Period
from civicgrid.services import enterprises as e
from civicgrid.services import users
from civicgrid.services.cases.indicators import compute_case_indicators
from civicgrid.services.cases.intake import ReportRequest, report_case
from tests.api.conftest import CheapArgon2, path_of
from tests.factories import centre_of, small_city
from tests.integration.hotline_city import load_named_city

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
USCC = "91350100M000100Y43"
OTHER = "91110000600037341L"
MICRO = "41010200100100101"


def _principal(role: Role, code: str, user_id: int = 90, name: str = "") -> Principal:
    grant = Grant(role=role, area_code=code, area_path=path_of(code))
    return Principal(user_id=user_id, username=name or f"{role.value}@{code}", grants=(grant,))


ADMIN = _principal(Role.CITY_ADMIN, "410100")
STREET = _principal(Role.STREET_OFFICER, "410102001")
OTHER_DISTRICT = _principal(Role.DISTRICT_OFFICER, "410103")


@pytest.fixture
def city(container: Container) -> Container:
    return load_named_city(container)


def _register(c: Container, principal: Principal = ADMIN, **fields: object) -> object:
    draft = EnterpriseDraft(**{"uscc": USCC, "name": "郑州示例机械有限公司", **fields})  # type: ignore[arg-type]
    return e.register_enterprise(
        c.uow(), c.locators, principal, draft, now=NOW, snap_tolerance_m=50
    )


def test_an_enterprise_is_placed_by_address_point_or_area(city: Container) -> None:
    by_address = _register(city, address="中原区林山寨街道碧沙岗社区建设路1号")
    assert (by_address.area_code, by_address.located_level) == ("410102001001", Level.COMMUNITY)  # type: ignore[attr-defined]
    lat, lon = centre_of(next(a for a in small_city() if a.code == MICRO))
    by_point = _register(city, uscc=OTHER, lat=lat, lon=lon)
    assert (by_point.area_code, by_point.located_level) == (MICRO, Level.MICRO_GRID)  # type: ignore[attr-defined]
    view = e.get_enterprise(city.uow(), ADMIN, OTHER)
    assert view.enterprise.location == (lon, lat)
    assert [h.kind for h in view.history] == [HistoryKind.REGISTERED]


def test_a_bad_check_digit_a_second_registration_and_a_foreign_area_are_refused(
    city: Container,
) -> None:
    with pytest.raises(InvalidInput, match="check digit"):
        _register(city, uscc="91350100M000100Y44", area_code=MICRO)
    _register(city, area_code=MICRO)
    with pytest.raises(Conflict, match="registered already"):
        _register(city, area_code="410102001")
    with pytest.raises(Forbidden, match="outside their jurisdiction"):
        _register(city, OTHER_DISTRICT, uscc=OTHER, area_code=MICRO)


def test_a_listing_holds_only_the_callers_subtree(city: Container) -> None:
    _register(city, area_code=MICRO)
    _register(city, uscc=OTHER, name="二七示例食品厂", area_code="410103001")
    assert [x.uscc for x in e.list_enterprises(city.uow(), ADMIN).items] == [USCC, OTHER]
    assert [x.uscc for x in e.list_enterprises(city.uow(), STREET).items] == [USCC]
    assert [x.uscc for x in e.list_enterprises(city.uow(), OTHER_DISTRICT).items] == [OTHER]
    assert e.list_enterprises(city.uow(), ADMIN, name="食品").count == 1
    assert e.list_enterprises(city.uow(), ADMIN, within="410103").items[0].uscc == OTHER
    with pytest.raises(Forbidden):
        e.list_enterprises(city.uow(), STREET, within="410103")
    with pytest.raises(Forbidden):
        e.get_enterprise(city.uow(), STREET, OTHER)
    with pytest.raises(NotFound, match="no enterprise"):
        e.get_enterprise(city.uow(), ADMIN, "91440300708461136T")


def test_the_official_must_be_able_to_see_the_enterprise(city: Container) -> None:
    hasher = CheapArgon2()
    for name, code in (("li.official", "410102001"), ("far.official", "410103")):
        users.add_user(city.uow(), hasher, name, "correct horse battery", now=NOW)
        users.grant_role(
            city.uow(),
            name,
            Role.STREET_OFFICER if code == "410102001" else Role.DISTRICT_OFFICER,
            code,
            now=NOW,
        )
    _register(city, area_code=MICRO)
    with pytest.raises(InvalidInput, match="holds no grant covering area"):
        e.assign_official(city.uow(), ADMIN, USCC, "far.official", now=NOW)
    with pytest.raises(NotFound, match="no user"):
        e.assign_official(city.uow(), ADMIN, USCC, "nobody", now=NOW)
    assigned = e.assign_official(city.uow(), STREET, USCC, "li.official", now=NOW)
    assert assigned.official == "li.official"
    view = e.get_enterprise(city.uow(), ADMIN, USCC)
    assert view.enterprise.official == "li.official"
    assert view.history[-1].kind is HistoryKind.OFFICIAL_ASSIGNED
    assert view.history[-1].actor == STREET.username


def _request(c: Container, principal: Principal, kind: RequestKind, key: str | None = None):  # type: ignore[no-untyped-def]
    return e.submit_enterprise_request(
        c.uow(),
        c.locators,
        c.rules,
        principal,
        USCC,
        kind,
        "新厂房需要增容用电",
        now=NOW,
        snap_tolerance_m=50,
        idempotency_key=key,
    )


def test_a_request_is_an_enterprise_service_case_timed_and_listed_in_the_history(
    city: Container,
) -> None:
    _register(city, area_code=MICRO, contact_name="王经理", contact_phone="13900000000")
    reported = _request(city, STREET, RequestKind.ELECTRICITY, key="k1")
    case = reported.case
    assert (case.category, case.source, case.area_code) == ("event:1002", Source.ENTERPRISE, MICRO)
    assert case.stage is Stage.COLLECT
    with city.uow() as uow:
        first = uow.cases.events(case.id)[0]
        contact = uow.cases.contact(case.id)
    # The street officer holds no workflow position: the enterprise channel reported it.
    assert (first.actor, first.position) == ("channel:enterprise", Position.ACCEPTOR)
    assert contact is not None
    assert contact.name == "王经理"
    assert city.rules.category(case.category, on=NOW).department == "power_supply"
    again = _request(city, STREET, RequestKind.ELECTRICITY, key="k1")
    assert (again.created, again.case.id) == (False, case.id)
    acceptor = _principal(Role.CASE_ACCEPTOR, "410102", user_id=91, name="acceptor")
    own = _request(city, acceptor, RequestKind.LABOUR).case
    with city.uow() as uow:
        assert uow.cases.events(own.id)[0].actor == "acceptor"

    view = e.get_enterprise(city.uow(), ADMIN, USCC)
    assert [(r.case_id, r.kind, r.status) for r in view.requests] == [
        (own.id, RequestKind.LABOUR, "open"),
        (case.id, RequestKind.ELECTRICITY, "open"),
    ]
    assert view.requests[1].deadline_at is not None  # 受理 runs on the clock like any case
    submitted = [h for h in view.history if h.kind is HistoryKind.REQUEST_SUBMITTED]
    assert [h.data["case_id"] for h in submitted] == [case.id, own.id]


def test_a_request_needs_the_right_to_work_where_the_enterprise_is(city: Container) -> None:
    _register(city, area_code=MICRO)
    leader = _principal(Role.LEADER, "410102")
    with pytest.raises(Forbidden):
        _request(city, leader, RequestKind.PERMIT)
    with pytest.raises(Forbidden):
        _request(city, OTHER_DISTRICT, RequestKind.PERMIT)


def test_indicators_count_enterprise_requests_apart(city: Container) -> None:
    _register(city, area_code=MICRO)
    _request(city, STREET, RequestKind.FINANCING)
    _request(city, STREET, RequestKind.LAND)
    worker = _principal(Role.GRID_WORKER, MICRO)
    report_case(
        city.uow(),
        city.locators,
        city.rules,
        worker,
        ReportRequest(
            category="event:0101", description="垃圾", source=Source.GRID_WORKER, area_code=MICRO
        ),
        now=NOW,
        snap_tolerance_m=50,
    )
    limits = TreeCategoryLimits.of(city.rules)

    def figures(enterprise: bool | None):  # type: ignore[no-untyped-def]
        return compute_case_indicators(
            city.uow(),
            limits,
            limits.calendar,
            ADMIN,
            area_code="410100",
            enterprise=enterprise,
            period=Period(NOW - timedelta(days=1), NOW + timedelta(days=1)),
            as_of=NOW + timedelta(hours=1),
        )

    everything, only, without = figures(None), figures(True), figures(False)
    assert (everything.reported, everything.enterprise_requests) == (3, 2)
    assert (only.reported, only.enterprise_requests) == (2, 2)
    assert (without.reported, without.enterprise_requests) == (1, 0)
