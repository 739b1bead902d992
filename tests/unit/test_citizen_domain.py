"""Tracking codes, Open311 attributes and query rules, and the rate limiter: no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.adapters.category_files import default_category_tree
from civicgrid.api.ratelimit import RateLimiter
from civicgrid.domain.citizens.attributes import Datatype, attributes_for, check_answers
from civicgrid.domain.citizens.requests_query import parse_request_query, requested_window
from civicgrid.domain.citizens.tracking import (
    LENGTH,
    code_digest,
    code_from_bits,
    display_code,
    normalize_code,
)
from civicgrid.domain.errors import InvalidInput

NOW = datetime(2026, 12, 4, 6, 0, tzinfo=UTC)


@given(st.integers(min_value=0, max_value=2**80 - 1))
def test_a_code_survives_display_and_sloppy_typing(bits: int) -> None:
    code = code_from_bits(bits)
    assert len(code) == LENGTH
    shown = display_code(code)
    assert normalize_code(shown) == code
    assert normalize_code(f"  {shown.lower().replace('-', ' ')} ") == code
    assert code_digest(shown) == code_digest(code.lower())


@given(st.integers(min_value=0, max_value=2**80 - 1), st.integers(min_value=0, max_value=2**80 - 1))
def test_different_bits_give_different_codes(a: int, b: int) -> None:
    assert (code_from_bits(a) == code_from_bits(b)) == (a == b)


def test_confusable_letters_read_as_digits() -> None:
    assert normalize_code("OOOO-IIII-LLLL-0000") == "0000111111110000"


@pytest.mark.parametrize("text", ["", "ABC", "ABCD-EFGH-JKMN-PQRS-T", "ABCD-EFGH-JKMN-PQR!"])
def test_malformed_codes_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_code(text)


def test_every_service_asks_every_datatype_in_order() -> None:
    tree = default_category_tree()
    for minor in tree.minors():
        attributes = attributes_for(minor)
        assert {a.datatype for a in attributes} == set(Datatype)
        assert [a.order for a in attributes] == list(range(1, len(attributes) + 1))


def test_answers_are_checked_by_datatype() -> None:
    attributes = attributes_for(default_category_tree().minor("event:0101"))
    answers = check_answers(
        attributes,
        {
            "DANGER": ["yes"],
            "ASPECT": ["blocking", "blocking", "nuisance"],
            "COUNT": ["3"],
            "SEEN_AT": ["2026-12-04T09:30:00+08:00"],
            "DETAILS": ["line one\nline two"],
        },
    )
    assert answers["ASPECT"] == ["blocking", "nuisance"]
    bad = [
        {"DANGER": ["yes", "no"]},
        {"DANGER": ["yes"], "LANDMARK": ["two\nlines"]},
        {"DANGER": ["yes"], "COUNT": ["nan"]},
        {"DANGER": ["yes"], "FILING": ["not a question"]},
        {"DANGER": ["yes"], "ASPECT": ["on fire"]},
    ]
    for given_answers in bad:
        with pytest.raises(InvalidInput):
            check_answers(attributes, given_answers)


def test_the_window_defaults_to_90_days_and_never_exceeds_them() -> None:
    assert requested_window(None, None, NOW) == (NOW - timedelta(days=90), NOW)
    start = NOW - timedelta(days=10)
    assert requested_window(start, None, NOW) == (start, start + timedelta(days=90))
    with pytest.raises(InvalidInput):
        requested_window(NOW - timedelta(days=91), NOW, NOW)
    with pytest.raises(InvalidInput):
        requested_window(NOW, NOW - timedelta(days=1), NOW)


def test_service_request_id_overrides_every_other_filter() -> None:
    query = parse_request_query({"service_request_id": "3,1,x", "status": "bogus"}, NOW)
    assert query.ids == (3, 1)
    assert query.statuses == ()


def test_an_update_window_alone_drops_the_default_report_window() -> None:
    query = parse_request_query({"updated_after": "2020-01-01T00:00:00Z"}, NOW)
    assert query.start is None
    assert query.updated_after == datetime(2020, 1, 1, tzinfo=UTC)
    assert parse_request_query({}, NOW).start == NOW - timedelta(days=90)


def test_the_limiter_allows_a_burst_then_one_per_interval() -> None:
    moments = iter([0.0, 0.0, 0.0, 0.5, 1.0, 1.0])
    limiter = RateLimiter(per_minute=60, burst=2, clock=lambda: next(moments))
    assert limiter.take("a") == 0
    assert limiter.take("a") == 0
    assert limiter.take("a") == pytest.approx(1.0)
    assert limiter.take("a") == pytest.approx(0.5)
    assert limiter.take("a") == 0  # one token refilled after a second
    assert limiter.take("b") == 0  # each client has its own bucket
