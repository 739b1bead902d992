"""Group commit: creates written together in one transaction get the answers, errors and
guarantees each would get alone (keys, chains, duplicate flags, notifications)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from civicgrid.adapters.db.case_repository import SqlCaseRepository
from civicgrid.bootstrap import Container
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.duplicates import SUSPECTS_KEY
from civicgrid.domain.cases.events import EventType, verify_chain
from civicgrid.domain.cases.stages import Source
from civicgrid.domain.citizens import Channel, PublicReporter
from civicgrid.domain.errors import InvalidInput, Unauthenticated
from civicgrid.services.area_import import import_areas
from civicgrid.services.case_ports import Contact
from civicgrid.services.cases.intake import ReportRequest
from civicgrid.services.cases.intake_batch import (
    Accepted,
    IntakeContext,
    PublicReport,
    TokenReport,
    report_batch,
)
from civicgrid.services.ports import UnitOfWork
from tests.factories import centre_of, small_city
from tests.fixtures import CASE_WORKERS, MICRO, MONDAY_9AM, add_people

NOTED = EventType.NOTED


@dataclass
class Intake:
    container: Container
    token: str
    lat: float
    lon: float

    def context(self) -> IntakeContext:
        c = self.container
        return IntakeContext(
            new_uow=c.uow,
            locators=c.locators,
            rules=c.rules,
            clock=lambda: MONDAY_9AM,
            snap_tolerance_m=50,
            chains=c.area_chains,
        )

    def item(self, key: str | None, *, token: str | None = None, **kw: Any) -> TokenReport:
        request = ReportRequest(
            category="event:0101",
            description=f"垃圾 {key}",
            source=Source.HOTLINE,
            lat=kw.pop("lat", self.lat),
            lon=kw.pop("lon", self.lon),
            idempotency_key=key,
        )
        return TokenReport(token or self.token, request)


@pytest.fixture
def intake(container: Container) -> Intake:
    areas = small_city()
    import_areas(container.uow(), areas, english_name=container.english_name)
    tokens = add_people(container, CASE_WORKERS)
    lat, lon = centre_of(next(a for a in areas if a.code == MICRO))
    return Intake(container, tokens["acceptor"], lat, lon)


def _accepted(outcome: Accepted | Exception) -> Accepted:
    assert isinstance(outcome, Accepted), outcome
    return outcome


def test_each_create_in_a_batch_gets_its_own_answer(intake: Intake) -> None:
    outcomes = report_batch(
        intake.context(),
        [
            intake.item("k1"),
            intake.item("k1"),  # its twin, in the same batch
            intake.item("k2", token="cg_not-a-token"),
            intake.item("k3", lat=10.0, lon=10.0),  # far outside the city
            intake.item(None),
        ],
    )
    first, twin, last = _accepted(outcomes[0]), _accepted(outcomes[1]), _accepted(outcomes[4])
    assert first.reported.created
    assert last.reported.created
    assert not twin.reported.created  # replayed after the batch committed
    assert twin.reported.case.id == first.reported.case.id
    assert first.principal.username == "acceptor"
    assert isinstance(outcomes[2], Unauthenticated)
    assert isinstance(outcomes[3], InvalidInput)
    assert "outside" in str(outcomes[3])
    with intake.container.uow() as uow:
        for case_id in (first.reported.case.id, last.reported.case.id):
            assert verify_chain(uow.cases.events(case_id)) == []
        # The later report saw the earlier one in the same transaction: flagged.
        flags = [e.data for e in uow.cases.events(last.reported.case.id) if e.type is NOTED]
        assert flags == [{"text": f"suspected duplicate of case {first.reported.case.id}",
                          SUSPECTS_KEY: [first.reported.case.id]}]  # fmt: skip
        assert uow.cases.find_by_idempotency_key("acceptor:k1") == first.reported.case.id
        assert uow.cases.find_by_idempotency_key("acceptor:k2") is None
        notified = uow.notifications.inbox(
            first.principal.user_id, [first.reported.case.area_path], offset=0, limit=10
        )
    assert {n.case_id for n in notified.items} == {
        first.reported.case.id,
        last.reported.case.id,
    }


def test_a_failed_write_runs_every_create_again_alone(
    intake: Intake, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_all, real_one = SqlCaseRepository.insert_new, SqlCaseRepository.open_case
    calls: list[str] = []

    def fails(self: SqlCaseRepository, *args: Any, **kwargs: Any) -> None:
        calls.append("batch")
        real_all(self, *args, **kwargs)  # written, then the transaction fails
        raise RuntimeError("disk on fire")

    def alone(self: SqlCaseRepository, *args: Any, **kwargs: Any) -> int:
        calls.append("alone")
        return real_one(self, *args, **kwargs)

    monkeypatch.setattr(SqlCaseRepository, "insert_new", fails)
    monkeypatch.setattr(SqlCaseRepository, "open_case", alone)
    outcomes = report_batch(intake.context(), [intake.item(f"r{n}") for n in range(3)])
    ids = [_accepted(outcome).reported.case.id for outcome in outcomes]
    assert len(set(ids)) == 3
    assert all(_accepted(o).reported.created for o in outcomes)
    assert calls == ["batch", "alone", "alone", "alone"]  # rolled back, then each alone
    with intake.container.uow() as uow:
        assert [uow.cases.find_by_idempotency_key(f"acceptor:r{n}") for n in range(3)] == ids
        for case_id in ids:
            assert verify_chain(uow.cases.events(case_id)) == []


def test_a_public_report_shares_the_batch_and_its_channel_record_commits_with_it(
    intake: Intake,
) -> None:
    kept: list[int] = []

    def keep(uow: UnitOfWork, case: Case) -> None:
        kept.append(case.id)
        uow.cases.save_contact(case.id, Contact(name="市民"))

    reporter = PublicReporter("web:" + "ab" * 8, Channel.WEB)
    public = PublicReport(
        reporter,
        ReportRequest(
            category="event:0101",
            description="井盖松动",
            source=Source.CITIZEN,
            lat=intake.lat,
            lon=intake.lon,
        ),
        keep,
    )
    outcomes = report_batch(intake.context(), [intake.item("s1"), public])
    staff, citizen = _accepted(outcomes[0]), _accepted(outcomes[1])
    assert citizen.reported.created
    assert kept == [citizen.reported.case.id] != [staff.reported.case.id]
    with intake.container.uow() as uow:
        case = uow.cases.get(citizen.reported.case.id)
        assert case is not None
        assert case.reporter_ref == reporter.ref
        assert uow.cases.contact(case.id) == Contact(name="市民")
        assert verify_chain(uow.cases.events(case.id)) == []
