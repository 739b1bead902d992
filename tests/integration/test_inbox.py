"""The inbox: what was addressed to the areas of one's grants; read receipts per user."""

from __future__ import annotations

import pytest

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Principal
from civicgrid.domain.cases.stages import Urgency
from civicgrid.domain.errors import NotFound
from civicgrid.services import inbox
from tests.integration.case_people import MONDAY_9AM, add_people, report


@pytest.fixture
def people(container: Container) -> dict[str, Principal]:
    return add_people(container)


def test_the_inbox_holds_what_was_addressed_to_ones_areas(
    container: Container, people: dict[str, Principal]
) -> None:
    normal = report(container, people["inspector"], None)
    urgent = report(container, people["inspector"], None, urgency=Urgency.URGENT)
    grid_worker = inbox.get_inbox(container.uow(), people["inspector"])
    officer = inbox.get_inbox(container.uow(), people["officer"])
    other = inbox.get_inbox(container.uow(), people["other_officer"])
    assert [n.case_id for n in grid_worker.items] == [urgent, normal]  # newest first
    assert [n.case_id for n in officer.items] == [urgent]  # normal cases stay at the grid
    assert other.count == 0
    assert grid_worker.count == 2
    assert not any(n.read for n in grid_worker.items)


def test_marking_read_is_per_user_and_only_inside_ones_inbox(
    container: Container, people: dict[str, Principal]
) -> None:
    report(container, people["inspector"], None, urgency=Urgency.URGENT)
    mine = inbox.get_inbox(container.uow(), people["officer"]).items[0]
    marked = inbox.do_mark_read(container.uow(), people["officer"], mine.id, now=MONDAY_9AM)
    again = inbox.do_mark_read(container.uow(), people["officer"], mine.id, now=MONDAY_9AM)
    assert marked.read
    assert again.read
    assert inbox.get_inbox(container.uow(), people["officer"]).items[0].read
    assert not any(n.read for n in inbox.get_inbox(container.uow(), people["inspector"]).items)
    with pytest.raises(NotFound, match="in your inbox"):
        inbox.do_mark_read(container.uow(), people["other_officer"], mine.id, now=MONDAY_9AM)
    with pytest.raises(NotFound):
        inbox.do_mark_read(container.uow(), people["officer"], 999_999, now=MONDAY_9AM)


def test_inbox_pages_are_bounded(container: Container, people: dict[str, Principal]) -> None:
    for _ in range(3):
        report(container, people["inspector"], None)
    page = inbox.get_inbox(container.uow(), people["inspector"], page=2, page_size=2)
    assert (len(page.items), page.count) == (1, 3)
