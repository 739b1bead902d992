"""Directive rules without I/O: forms, receipts, revisions, roll-up counts, the ledger."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.domain.areas import Level
from civicgrid.domain.directives import (
    Content,
    Counts,
    Directive,
    Priority,
    Receipt,
    ReceiptState,
    Selection,
    Status,
)
from civicgrid.domain.directives import responding as rules
from civicgrid.domain.directives.revising import changes, is_material
from civicgrid.domain.directives.timing import reminder_at
from civicgrid.domain.errors import Conflict, InvalidInput
from civicgrid.domain.forms import check_answer, parse_form
from civicgrid.domain.ledger import LedgerEntry, verify_stream

NOW = datetime(2026, 7, 20, 0, 0, tzinfo=UTC)
FORM = parse_form(
    [
        {"key": "points", "type": "number", "label_zh": "点数"},
        {"key": "water", "type": "yes_no", "label_zh": "积水"},
        {"key": "level", "type": "choice", "label_zh": "等级", "choices": ["低", "高"]},
        {"key": "photos", "type": "photo", "label_zh": "照片", "required": False},
        {"key": "where", "type": "location", "label_zh": "位置", "required": False},
    ]
)
CONTENT = Content(
    title_zh="检查",
    body_zh="检查积水点",
    sign_deadline_at=NOW + timedelta(hours=2),
    complete_deadline_at=NOW + timedelta(hours=10),
    form=FORM,
)
DIRECTIVE = Directive(1, "/410100/410102/", "officer", NOW, CONTENT, Selection(), 2)
RECEIPT = Receipt(7, 1, "/410100/410102/410102001/", Level.STREET)


def test_a_complete_answer_is_cleaned_and_a_bad_one_names_its_field() -> None:
    answer = {"points": 3, "water": True, "level": "高", "photos": "a" * 32}
    assert check_answer(FORM, answer) == {
        "points": 3.0,
        "water": True,
        "level": "高",
        "photos": ["a" * 32],
    }
    for bad, field in [
        ({"water": True, "level": "高"}, "values.points"),
        ({"points": True, "water": True, "level": "高"}, "values.points"),
        ({"points": 1, "water": "yes", "level": "高"}, "values.water"),
        ({"points": 1, "water": True, "level": "中"}, "values.level"),
        (
            {"points": 1, "water": True, "level": "高", "where": {"lon": 500, "lat": 1}},
            "values.where",
        ),
        ({"points": 1, "water": True, "level": "高", "extra": 1}, "values.extra"),
    ]:
        with pytest.raises(InvalidInput) as raised:
            check_answer(FORM, bad)
        assert raised.value.field == field


def test_form_definitions_are_checked() -> None:
    with pytest.raises(InvalidInput, match="needs choices"):
        parse_form([{"key": "c", "type": "choice", "label_zh": "x"}])
    with pytest.raises(InvalidInput, match="only number fields aggregate"):
        parse_form([{"key": "t", "type": "text", "label_zh": "x", "aggregates": ["sum"]}])
    with pytest.raises(InvalidInput, match="appears twice"):
        parse_form([{"key": "a", "type": "text", "label_zh": "x"}] * 2)


def test_a_receipt_is_signed_once_per_material_version() -> None:
    signed = rules.sign(DIRECTIVE, RECEIPT, NOW)
    assert (signed.state, signed.signed_version) == (ReceiptState.SIGNED, 1)
    with pytest.raises(Conflict, match="already"):
        rules.sign(DIRECTIVE, signed, NOW)
    revised = replace(DIRECTIVE, version=2, material_version=2)
    assert rules.needs_signature(revised, signed)
    assert rules.sign(revised, signed, NOW).signed_version == 2
    with pytest.raises(Conflict, match="revoked"):
        rules.sign(replace(DIRECTIVE, status=Status.REVOKED), RECEIPT, NOW)


def test_work_needs_a_signature_and_a_completion_can_go_back_for_rework() -> None:
    with pytest.raises(Conflict, match="must sign"):
        rules.report_progress(DIRECTIVE, RECEIPT, 10, "", NOW)
    signed = rules.sign(DIRECTIVE, RECEIPT, NOW)
    working = rules.report_progress(DIRECTIVE, signed, 50, "half", NOW)
    done = rules.complete(DIRECTIVE, working, {"points": 2, "water": False, "level": "低"}, "", NOW)
    assert done.state is ReceiptState.DONE
    with pytest.raises(Conflict, match="completed"):
        rules.report_progress(DIRECTIVE, done, 60, "", NOW)
    back = rules.send_back(DIRECTIVE, done, NOW)
    assert (back.state, back.done_at) == (ReceiptState.REWORK, None)
    with pytest.raises(Conflict):
        rules.send_back(DIRECTIVE, back, NOW)


def test_what_makes_a_revision_material() -> None:
    later = replace(CONTENT, complete_deadline_at=NOW + timedelta(hours=12), priority=Priority.HIGH)
    assert not is_material(CONTENT, later)
    assert set(changes(CONTENT, later)) == {"complete_deadline_at", "priority"}
    assert is_material(CONTENT, replace(CONTENT, complete_deadline_at=NOW + timedelta(hours=8)))
    assert is_material(CONTENT, replace(CONTENT, body_zh="另一件事"))
    assert not is_material(CONTENT, replace(CONTENT, title_en="Check"))


@given(
    targeted=st.integers(0, 1000),
    data=st.data(),
    hours=st.integers(0, 12),
)
def test_overdue_counts_the_units_behind_the_deadline_that_has_passed(
    targeted: int, data: st.DataObject, hours: int
) -> None:
    done = data.draw(st.integers(0, targeted))
    signed = data.draw(st.integers(done, targeted))
    counts = Counts(targeted=targeted, signed=signed, in_progress=0, done=done)
    now = NOW + timedelta(hours=hours, minutes=1)
    expected = targeted - done if hours >= 10 else targeted - signed if hours >= 2 else 0
    assert counts.overdue(DIRECTIVE, now) == expected
    assert counts.overdue(replace(DIRECTIVE, status=Status.REVOKED), now) == 0


def test_the_reminder_falls_at_80_percent_of_the_time_given() -> None:
    assert reminder_at(NOW, NOW + timedelta(hours=10)) == NOW + timedelta(hours=8)


def test_the_ledger_detects_an_edited_or_missing_entry() -> None:
    entries: list[LedgerEntry] = []
    for i in range(3):
        entry = LedgerEntry("directive:1", 0, "signed", NOW, "w", data={"i": i})
        entries.append(entry.following(entries[-1] if entries else None))
    assert verify_stream(entries) == []
    edited = [entries[0], replace(entries[1], data={"i": 99}), entries[2]]
    assert "content does not match" in verify_stream(edited)[0]
    assert any("does not link" in p for p in verify_stream([entries[0], entries[2]]))
