"""Reading a typed form's HTML fields: numbers, yes/no and locations become what the
domain's answer check expects, and what cannot be read is a problem next to its field."""

from __future__ import annotations

from typing import Any, cast

from civicgrid.domain.forms import parse_form
from civicgrid.web.i18n import LANGUAGES
from civicgrid.web.page import Page
from civicgrid.web.typed_answers import read_answer

ENGLISH = Page(request=cast(Any, None), container=cast(Any, None), language=LANGUAGES[1])
FORM = parse_form(
    [
        {"key": "count", "type": "number", "label_zh": "数量", "label_en": "Count"},
        {"key": "wet", "type": "yes_no", "label_zh": "积水"},
        {"key": "spot", "type": "location", "label_zh": "位置", "required": False},
        {"key": "note", "type": "text", "label_zh": "说明", "required": False},
    ]
)


def test_values_are_converted_to_what_the_domain_checks() -> None:
    answer = read_answer(
        ENGLISH,
        FORM,
        {"f_count": " 3.5 ", "f_wet": "no", "f_spot_lat": "34.1", "f_spot_lon": "113.6"},
    )
    assert answer.problems == []
    assert answer.values == {"count": 3.5, "wet": False, "spot": {"lat": 34.1, "lon": 113.6}}


def test_empty_fields_are_left_out_for_the_domain_to_require() -> None:
    answer = read_answer(ENGLISH, FORM, {"f_count": "", "f_note": "  "})
    assert answer.values == {}
    assert answer.problems == []


def test_what_cannot_be_read_is_named_next_to_its_field() -> None:
    answer = read_answer(ENGLISH, FORM, {"f_count": "three", "f_wet": "yes", "f_spot_lat": "north"})
    assert [p.field for p in answer.problems] == ["f_count", "f_spot_lat"]
    assert answer.problems[0].message == "Count must be a number."
    assert answer.values == {"wet": True}
