"""Group commit reads the idempotency keys of a whole batch at once: replays, and keys
scoped to the user who sent them, come out as they would one create at a time."""

from __future__ import annotations

import pytest

from civicgrid.adapters.db.case_repository import SqlCaseRepository
from civicgrid.bootstrap import Container
from civicgrid.domain.cases.events import verify_chain
from civicgrid.domain.cases.stages import Source
from civicgrid.domain.errors import Unauthenticated
from civicgrid.services.area_import import import_areas
from civicgrid.services.cases.intake import ReportRequest
from civicgrid.services.cases.intake_batch import (
    Accepted,
    IntakeContext,
    TokenReport,
    report_batch,
)
from tests.factories import centre_of, small_city
from tests.fixtures import CASE_WORKERS, MICRO, MONDAY_9AM, add_people


@pytest.fixture
def world(container: Container) -> tuple[IntakeContext, dict[str, str], tuple[float, float]]:
    areas = small_city()
    import_areas(container.uow(), areas, english_name=container.english_name)
    tokens = add_people(container, CASE_WORKERS)
    context = IntakeContext(
        new_uow=container.uow,
        locators=container.locators,
        rules=container.rules,
        clock=lambda: MONDAY_9AM,
        snap_tolerance_m=50,
        chains=container.area_chains,
    )
    return context, tokens, centre_of(next(a for a in areas if a.code == MICRO))


def _item(token: str, key: str, point: tuple[float, float], source: Source) -> TokenReport:
    lat, lon = point
    request = ReportRequest(
        category="event:0101",
        description=f"垃圾 {key}",
        source=source,
        lat=lat,
        lon=lon,
        idempotency_key=key,
    )
    return TokenReport(token, request)


def _accepted(outcome: Accepted | Exception) -> Accepted:
    assert isinstance(outcome, Accepted), outcome
    return outcome


def test_a_batch_reads_its_keys_once_and_replays_committed_ones(
    world: tuple[IntakeContext, dict[str, str], tuple[float, float]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    context, tokens, point = world
    acceptor, leader = tokens["acceptor"], tokens["leader"]
    (first,) = report_batch(context, [_item(acceptor, "k1", point, Source.HOTLINE)])
    earlier = _accepted(first).reported.case.id

    def one_by_one(self: SqlCaseRepository, key: str) -> int | None:
        raise AssertionError(f"key {key} read on its own")

    monkeypatch.setattr(SqlCaseRepository, "find_by_idempotency_key", one_by_one)
    outcomes = report_batch(
        context,
        [
            _item(acceptor, "k1", point, Source.HOTLINE),  # committed before: a replay
            _item(leader, "k1", point, Source.STAFF),  # the same key from someone else
            _item("cg_not-a-token", "k1", point, Source.HOTLINE),
            _item(acceptor, "k2", point, Source.HOTLINE),
        ],
    )
    replay, theirs, new = (_accepted(outcomes[n]).reported for n in (0, 1, 3))
    assert (replay.created, replay.case.id) == (False, earlier)
    assert theirs.created
    assert new.created
    assert len({earlier, theirs.case.id, new.case.id}) == 3
    assert isinstance(outcomes[2], Unauthenticated)
    monkeypatch.undo()
    with context.new_uow() as uow:
        assert uow.cases.find_by_idempotency_keys(
            ["acceptor:k1", "leader:k1", "acceptor:k2", "acceptor:k3"]
        ) == {"acceptor:k1": earlier, "leader:k1": theirs.case.id, "acceptor:k2": new.case.id}
        assert uow.cases.find_by_idempotency_keys([]) == {}
        for case_id in (earlier, theirs.case.id, new.case.id):
            assert verify_chain(uow.cases.events(case_id)) == []
