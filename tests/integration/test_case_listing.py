"""A page of a subtree's cases is the same whether the listing sorts the subtree's index
entries or walks time backwards; and intake finds every area's chain in memory."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from civicgrid.adapters.db.area_chains import PreloadedAreaChains
from civicgrid.adapters.db.base import Base
from civicgrid.bootstrap import Container
from civicgrid.domain.access import Grant, Principal, Role
from civicgrid.domain.areas import Level
from civicgrid.domain.cases.stages import Source, Urgency
from civicgrid.services.area_import import import_areas
from civicgrid.services.case_ports import CaseDraft, CaseFilter
from civicgrid.services.cases.queries import list_cases
from tests.factories import small_city
from tests.fixtures import MONDAY_9AM as T

CITY = "/410100/"


def _open_cases(container: Container) -> dict[int, tuple[str, datetime]]:
    """60 cases over the small city's micro-grids, reported out of id order, some at
    the same instant: {id: (area path, reported at)}."""
    areas = small_city()
    import_areas(container.uow(), areas, english_name=container.english_name)
    with container.uow() as uow:
        grids = uow.areas.subtree(
            CITY, level=Level.MICRO_GRID, offset=0, limit=100, with_geometry=False
        ).items
        made: dict[int, tuple[str, datetime]] = {}
        for n in range(60):
            grid = grids[(n * 7) % len(grids)]
            at = T + timedelta(minutes=(n * 37) % 45)  # repeats: ties broken by id
            draft = CaseDraft(
                category="event:0101",
                source=Source.HOTLINE,
                urgency=Urgency.NORMAL,
                area_code=grid.code,
                area_path=grid.path,
                description=f"case {n}",
                reported_at=at,
                location=None,
            )
            made[uow.cases.open_case(draft, idempotency_key=None)] = (grid.path, at)
        uow.commit()
    return made


@pytest.mark.parametrize("page_size", [1, 3, 7, 50])
def test_every_page_is_newest_first_whichever_way_it_is_read(
    container: Container, page_size: int
) -> None:
    made = _open_cases(container)
    district = "/410100/410102/"
    officer = Principal(0, "officer", (Grant(Role.CITY_ADMIN, "410100", CITY),))
    expected = sorted(
        (case_id for case_id, (path, _) in made.items() if path.startswith(district)),
        key=lambda case_id: (made[case_id][1], case_id),
        reverse=True,
    )
    seen: list[int] = []
    for page in range(1, len(expected) // page_size + 2):
        found = list_cases(
            container.uow(),
            officer,
            CaseFilter(within=district, status="open"),
            page=page,
            page_size=page_size,
        )
        assert found.count == len(expected)
        seen += [item.id for item in found.items]
    # With small pages (1 and 3) the listing walks time; with 50 it sorts the subtree.
    assert seen == expected


def test_a_reader_outside_the_subtree_sees_nothing_of_it(container: Container) -> None:
    _open_cases(container)
    other = "/410100/410103/"
    officer = Principal(0, "officer", (Grant(Role.DISTRICT_OFFICER, "410103", other),))
    found = list_cases(container.uow(), officer, CaseFilter(within="/410100/410102/"), page_size=1)
    assert (found.count, found.items) == (0, [])
    mine = list_cases(container.uow(), officer, CaseFilter(), page_size=1)
    assert mine.count > 0
    assert all(item.area_path.startswith(other) for item in mine.items)


def test_the_chain_runs_from_the_city_down_and_follows_the_areas_version(
    container: Container,
) -> None:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    chains = PreloadedAreaChains(container.engine)
    micro = "41010200100100101"
    with container.uow() as uow:
        version = uow.areas.version()
        chain = chains.chain(uow, micro, version=version)
        assert chain is not None
        assert [area.level for area in chain] == list(Level)[: len(chain)]
        assert chain[0].code == "410100"
        assert chain[-1].code == micro
        assert [area.path for area in chain] == sorted(area.path for area in chain)
        assert chains.chain(uow, "41019999999999999", version=version) is None
        # Another version is read afresh: an area it lacks is not served from memory.
        assert chains.chain(uow, micro, version="another") is not None


@pytest.mark.parametrize("page_size", [1, 4, 50])
def test_the_overdue_filter_lists_open_cases_past_their_deadline_whichever_way_it_reads(
    container: Container, page_size: int
) -> None:
    made = _open_cases(container)
    cases = Base.metadata.tables["cases"]
    now = T + timedelta(days=1)
    late: set[int] = set()
    due_later: set[int] = set()
    held: set[int] = set()
    with container.engine.begin() as conn:
        for case_id in made:
            if case_id % 3 == 0:
                continue  # no deadline
            deadline = now - timedelta(hours=1) if case_id % 3 == 1 else now + timedelta(hours=1)
            (late if case_id % 3 == 1 else due_later).add(case_id)
            conn.execute(update(cases).where(cases.c.id == case_id).values(deadline_at=deadline))
        # A held case keeps no deadline; were one left behind, it is not overdue.
        for case_id in sorted(late)[:3]:
            conn.execute(update(cases).where(cases.c.id == case_id).values(status="on_hold"))
            held.add(case_id)
    officer = Principal(0, "officer", (Grant(Role.CITY_ADMIN, "410100", CITY),))
    expected = sorted(late - held, key=lambda c: (made[c][1], c), reverse=True)
    seen: list[int] = []
    for page in range(1, len(expected) // page_size + 2):
        found = list_cases(
            container.uow(), officer, CaseFilter(overdue_at=now), page=page, page_size=page_size
        )
        assert found.count == len(expected)
        seen += [item.id for item in found.items]
    assert seen == expected
    on_hold = list_cases(container.uow(), officer, CaseFilter(status="on_hold", overdue_at=now))
    assert on_hold.count == 0
