from __future__ import annotations

from datetime import timedelta

import pytest

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Action
from civicgrid.domain.cases.events import EventType, verify_chain
from civicgrid.domain.cases.guards import ReopenPolicy
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Source, Stage
from civicgrid.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from civicgrid.services.case_ports import Contact
from civicgrid.services.cases import queries
from civicgrid.services.cases.intake import access_case
from civicgrid.services.citizens import public_case_view, rate_case, reopen_case
from tests.integration.citizen_world import MICRO, MONDAY_9AM, CitizenWorld, build_world

ALICE = Contact(name="王小明", phone="13800000000", email="wang@example.cn")


@pytest.fixture
def world(container: Container) -> CitizenWorld:
    return build_world(container)


def _view(world: CitizenWorld, code: str, at: object = None, **kw: object):  # type: ignore[no-untyped-def]
    c = world.container
    return public_case_view(c.uow(), c.rules, tracking_code=code, now=at or MONDAY_9AM, **kw)  # type: ignore[arg-type]


def test_a_citizen_reports_without_an_account_and_gets_a_tracking_code(world: CitizenWorld) -> None:
    receipt = world.submit(contact=ALICE)
    assert receipt.created
    assert receipt.tracking_code is not None
    assert len(receipt.tracking_code.replace("-", "")) == 16
    with world.container.uow() as uow:
        case = uow.cases.get(receipt.case_id)
        events = uow.cases.events(receipt.case_id)
    assert case is not None
    assert case.source is Source.CITIZEN
    assert case.area_code == MICRO
    assert events[0].position is Position.REPORTER
    assert case.reporter_ref.startswith("web:")
    assert ALICE.name not in case.reporter_ref
    assert verify_chain(events) == []


def test_each_report_gets_its_own_code_and_only_its_hash_is_stored(world: CitizenWorld) -> None:
    first, second = world.submit(), world.submit()
    assert first.tracking_code != second.tracking_code
    with world.container.uow() as uow:
        records = uow.citizens.records([first.case_id])
    assert first.tracking_code is not None
    stored = records[first.case_id].tracking_digest
    assert first.tracking_code.replace("-", "") not in stored
    assert len(stored) == 64


def test_the_public_view_never_shows_personal_data(world: CitizenWorld) -> None:
    receipt = world.submit(contact=ALICE)
    assert receipt.tracking_code is not None
    world.close(receipt.case_id)
    view = _view(world, receipt.tracking_code, MONDAY_9AM + timedelta(hours=2))
    text = repr(view)
    for secret in (ALICE.name, ALICE.phone, ALICE.email, "acceptor", "leader", "handler"):
        assert secret not in text
    assert view.status == "closed"
    assert view.department_zh == "城市管理局"
    assert [e.kind for e in view.timeline][:2] == ["reported", "accepted"]
    assert "已清运" in [e.text for e in view.timeline]


def test_a_code_is_accepted_as_typed_and_an_unknown_one_is_not_found(world: CitizenWorld) -> None:
    receipt = world.submit()
    assert receipt.tracking_code is not None
    typed = receipt.tracking_code.lower().replace("-", " ")
    assert _view(world, typed).case_id == receipt.case_id
    with pytest.raises(NotFound):
        _view(world, "0000-0000-0000-0000")
    with pytest.raises(InvalidInput):
        _view(world, "short")


def test_staff_see_the_reporters_contact_only_inside_their_subtree(world: CitizenWorld) -> None:
    receipt = world.submit(contact=ALICE)
    c = world.container
    view = queries.get_case(
        c.uow(), c.rules, world.staff["officer"], receipt.case_id, now=MONDAY_9AM
    )
    assert view.contact == ALICE
    with pytest.raises(Forbidden):
        queries.get_case(
            c.uow(), c.rules, world.staff["other_officer"], receipt.case_id, now=MONDAY_9AM
        )


def test_an_anonymous_report_keeps_no_contact(world: CitizenWorld) -> None:
    receipt = world.submit()
    with world.container.uow() as uow:
        assert uow.cases.contact(receipt.case_id) is None


def test_the_reporter_rates_only_once_the_case_is_closed(world: CitizenWorld) -> None:
    receipt = world.submit()
    code = receipt.tracking_code
    assert code is not None
    c = world.container
    with pytest.raises(Conflict):
        rate_case(c.uow(), c.rules, code, 5, now=MONDAY_9AM + timedelta(minutes=1))
    closed = world.close(receipt.case_id)
    assert _view(world, code, closed).may_rate
    view = rate_case(c.uow(), c.rules, code, 4, "很快", now=closed + timedelta(hours=1))
    assert view.rating == 4
    assert not view.may_rate
    with pytest.raises(Conflict, match="already rated"):
        rate_case(c.uow(), c.rules, code, 5, now=closed + timedelta(hours=2))


def test_a_rating_outside_one_to_five_is_refused(world: CitizenWorld) -> None:
    receipt = world.submit()
    assert receipt.tracking_code is not None
    closed = world.close(receipt.case_id)
    c = world.container
    with pytest.raises(InvalidInput):
        rate_case(c.uow(), c.rules, receipt.tracking_code, 6, now=closed + timedelta(hours=1))


def test_closed_not_fixed_can_be_reopened_within_the_window_only(world: CitizenWorld) -> None:
    c = world.container
    policy = ReopenPolicy(window_days=3, max_reopens=1)
    late = world.submit()
    assert late.tracking_code is not None
    closed = world.close(late.case_id, outcome=Outcome.CLOSED_NOT_FIXED)
    with pytest.raises(Conflict, match="window"):
        reopen_case(
            c.uow(),
            c.rules,
            late.tracking_code,
            "没修好",
            now=closed + timedelta(days=4),
            policy=policy,
        )
    on_time = world.submit(at=closed)
    assert on_time.tracking_code is not None
    closed2 = world.close(on_time.case_id, start=closed, outcome=Outcome.CLOSED_NOT_FIXED)
    view = reopen_case(
        c.uow(),
        c.rules,
        on_time.tracking_code,
        "垃圾还在",
        now=closed2 + timedelta(days=2),
        policy=policy,
    )
    assert view.status == "open"
    assert view.stage is Stage.HANDLE
    assert view.timeline[-1].kind == EventType.REOPENED.value
    assert "垃圾还在" not in repr(view.timeline)  # the reporter's words stay private


def test_a_fixed_case_rated_satisfied_cannot_be_reopened(world: CitizenWorld) -> None:
    c = world.container
    receipt = world.submit()
    code = receipt.tracking_code
    assert code is not None
    closed = world.close(receipt.case_id)
    rate_case(c.uow(), c.rules, code, 5, now=closed + timedelta(minutes=1))
    with pytest.raises(Conflict, match="satisfied"):
        reopen_case(c.uow(), c.rules, code, "again", now=closed + timedelta(minutes=2))


def test_a_public_view_by_id_offers_no_actions(world: CitizenWorld) -> None:
    receipt = world.submit()
    closed = world.close(receipt.case_id)
    c = world.container
    view = public_case_view(c.uow(), c.rules, case_id=receipt.case_id, now=closed)
    assert not view.may_rate
    assert not view.may_reopen


def test_a_retried_submission_with_the_same_key_finds_the_first_case(world: CitizenWorld) -> None:
    first = world.submit(idempotency_key="form-7f3a9c")
    again = world.submit(idempotency_key="form-7f3a9c")
    assert again.case_id == first.case_id
    assert not again.created
    assert again.tracking_code is None
    other = world.submit(idempotency_key="form-other")
    assert other.case_id != first.case_id


def test_a_photo_is_stored_and_attached(world: CitizenWorld) -> None:
    from civicgrid.services.citizens import Photo

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    receipt = world.submit(photos=(Photo("p.png", "image/png", png),))
    with world.container.uow() as uow:
        case = access_case(uow, world.staff["officer"], receipt.case_id, Action.READ)
    assert len(case.attachments) == 1


def test_an_executable_is_not_accepted_as_a_photo(world: CitizenWorld) -> None:
    from civicgrid.domain.attachments import UnsupportedType
    from civicgrid.services.citizens import Photo

    with pytest.raises(UnsupportedType):
        world.submit(photos=(Photo("x.jpg", "image/jpeg", b"MZ" + b"\x00" * 64),))


def test_a_report_outside_the_city_is_refused(world: CitizenWorld) -> None:
    with pytest.raises(InvalidInput, match="outside"):
        world.submit(lat=10.0, lon=10.0)
