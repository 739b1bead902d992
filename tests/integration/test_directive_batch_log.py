"""Batch sign-offs on a real database: each unit's log stays one intact chain, and the
batch's one-parameter lists carry any string unchanged."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from civicgrid.bootstrap import Container
from civicgrid.domain.access import local_operator
from civicgrid.domain.areas import Level
from civicgrid.domain.directives import Content, Selection
from civicgrid.domain.ledger import LedgerEntry, verify_stream
from civicgrid.services.area_import import import_areas
from civicgrid.services.directives.access import receipt_stream
from civicgrid.services.directives.issuing import issue_directive
from civicgrid.services.directives.responding import sign_receipt, sign_receipts
from civicgrid.services.directives.revising import revise_directive
from tests.factories import small_city

NINE = datetime(2026, 7, 20, 1, 0, tzinfo=UTC)
MICRO = "41010200100100101"
OTHER = "41010200100100102"


def test_a_batch_sign_after_a_revision_continues_each_units_chain(container: Container) -> None:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    operator = local_operator()
    issued = issue_directive(
        container.uow(),
        operator,
        Content(title_zh="检查", body_zh="一"),
        Selection(level=Level.MICRO_GRID, within="410102001"),
        now=NINE,
        from_area="410100",
    )
    directive_id = issued.directive.id
    sign_receipt(container.uow(), operator, directive_id, MICRO, now=NINE)
    later = NINE + timedelta(hours=1)
    content = issued.directive.content
    revise_directive(
        container.uow(), operator, directive_id, replace(content, body_zh="二"), now=later
    )
    signed = sign_receipts(container.uow(), operator, directive_id, [MICRO, OTHER], now=later)
    assert [(r.area_code, r.signed_version) for r in signed] == [(MICRO, 2), (OTHER, 2)]
    with container.uow() as uow:
        again = uow.ledger.stream(receipt_stream(directive_id, MICRO))
        first = uow.ledger.stream(receipt_stream(directive_id, OTHER))
    assert [(e.seq, e.type, e.data["signed_version"]) for e in again] == [
        (1, "signed", 1),
        (2, "signed", 2),
    ]
    assert [(e.seq, e.at) for e in first] == [(1, later)]
    assert verify_stream(again) == verify_stream(first) == []


def test_log_entries_written_in_one_batch_read_back_unchanged(container: Container) -> None:
    odd = ['a"b', "c\\d", "e,f", "{g}", "h i", "NULL", "", "街道 ✓", "j'k"]
    entries = [
        LedgerEntry(
            stream=f"test:{name}",
            seq=0,
            type="noted",
            at=NINE,
            actor=name,
            area_path="/410100/",
            data={"text": name, "n": i},
        )
        for i, name in enumerate(odd)
    ]
    with container.uow() as uow:
        uow.ledger.append_many(entries)
        uow.commit()
    with container.uow() as uow:
        uow.ledger.append_many([entries[0], entries[1]])  # placed after the first
        uow.commit()
    with container.uow() as uow:
        for i, name in enumerate(odd):
            stream = uow.ledger.stream(f"test:{name}")
            assert (stream[0].actor, stream[0].data, stream[0].at) == (
                name,
                {"text": name, "n": i},
                NINE,
            )
            assert len(stream) == (2 if i < 2 else 1)
            assert verify_stream(stream) == []
