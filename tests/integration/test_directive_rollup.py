"""The roll-up on a real database: per child area, only children the directive reached."""

from __future__ import annotations

from datetime import UTC, datetime

from civicgrid.bootstrap import Container
from civicgrid.domain.access import local_operator
from civicgrid.domain.directives import Content, Selection
from civicgrid.domain.directives.rollup import Counts
from civicgrid.services.area_import import import_areas
from civicgrid.services.directives.issuing import issue_directive
from civicgrid.services.directives.queries import get_rollup
from civicgrid.services.directives.responding import sign_receipt
from tests.factories import small_city

NINE = datetime(2026, 7, 20, 1, 0, tzinfo=UTC)
MICRO = "41010200100100101"
OTHER = "41010200100100102"
THIRD_STREET = "410102002"


def test_a_roll_up_lists_only_the_children_a_directive_reached(container: Container) -> None:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    operator = local_operator()
    issued = issue_directive(
        container.uow(),
        operator,
        Content(title_zh="检查", body_zh=""),
        Selection(codes=(MICRO, OTHER, THIRD_STREET)),
        now=NINE,
        from_area="410100",
    )
    directive_id = issued.directive.id
    sign_receipt(container.uow(), operator, directive_id, OTHER, now=NINE)
    at_district = get_rollup(container.uow(), operator, directive_id, at="410102", now=NINE)
    assert [(row.code, row.counts) for row in at_district.children] == [
        ("410102001", Counts(targeted=2, signed=1)),
        (THIRD_STREET, Counts(targeted=1)),  # the street itself is targeted
    ]
    assert at_district.node.counts == Counts(targeted=3, signed=1)
    at_street = get_rollup(container.uow(), operator, directive_id, at=THIRD_STREET, now=NINE)
    assert at_street.children == []
    assert at_street.node.counts == Counts(targeted=1)
