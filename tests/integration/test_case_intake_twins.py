"""Two creates with one Idempotency-Key that both pass the lookup: the second gets a
409 naming the key, never a second case or a server error."""

from __future__ import annotations

import pytest

from civicgrid.bootstrap import Container
from civicgrid.domain.cases.stages import Source, Urgency
from civicgrid.domain.errors import Conflict
from civicgrid.services.case_ports import CaseDraft
from tests.fixtures import MONDAY_9AM as T

DRAFT = CaseDraft(
    category="event:0101",
    source=Source.HOTLINE,
    urgency=Urgency.NORMAL,
    area_code="41010200100100101",
    area_path="/410100/410102/410102001/410102001001/41010200100100/41010200100100101/",
    description="a twin",
    reported_at=T,
    location=None,
)


def test_the_twin_that_commits_second_is_a_conflict_on_the_key(container: Container) -> None:
    with container.uow() as uow:
        first = uow.cases.open_case(DRAFT, idempotency_key="hotline:k1")
        uow.commit()
    with container.uow() as uow, pytest.raises(Conflict, match="Idempotency-Key") as raised:
        uow.cases.open_case(DRAFT, idempotency_key="hotline:k1")
    assert raised.value.field == "idempotency_key"
    with container.uow() as uow:
        assert uow.cases.find_by_idempotency_key("hotline:k1") == first
