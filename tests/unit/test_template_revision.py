"""The template revision rule without I/O: a revision may only widen the form."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from civicgrid.domain.areas import Level
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.forms import Aggregate, check_answer, parse_form
from civicgrid.domain.reports import Schedule, TemplateDraft
from civicgrid.domain.reports.revision import TemplateRevision, changed_parts, revise_draft

BAGS: dict[str, Any] = {"key": "bags", "type": "number", "label_zh": "袋数", "aggregates": ["sum"]}
WEATHER: dict[str, Any] = {
    "key": "weather",
    "type": "choice",
    "label_zh": "天气",
    "choices": ["sun", "rain"],
}
NOTE: dict[str, Any] = {"key": "note", "type": "text", "label_zh": "说明", "required": False}
DRAFT = TemplateDraft(
    code="litter-daily",
    name_zh="垃圾日报",
    name_en="Litter daily",
    submitter_level=Level.COMMUNITY,
    schedule=Schedule.DAILY,
    due_time=time(18, 0),
    fields=parse_form([BAGS, WEATHER, NOTE]),
)


def _fields(*items: dict[str, Any]) -> TemplateRevision:
    return TemplateRevision(fields=parse_form(list(items)))


def test_names_due_time_labels_and_aggregates_change_in_place() -> None:
    revision = TemplateRevision(
        name_zh="垃圾清运日报",
        due_time=time(17, 30),
        fields=parse_form(
            [NOTE, {**BAGS, "label_en": "Bags", "aggregates": ["sum", "max"]}, WEATHER]
        ),
    )
    revised = revise_draft(DRAFT, revision)
    assert (revised.name_zh, revised.name_en, revised.due_time) == (
        "垃圾清运日报",
        "Litter daily",  # not given: kept
        time(17, 30),
    )
    assert [f.key for f in revised.fields] == ["note", "bags", "weather"]
    assert revised.fields[1].aggregates == (Aggregate.SUM, Aggregate.MAX)
    assert changed_parts(DRAFT, revised) == ["name_zh", "due_time", "fields"]


def test_an_optional_field_a_new_choice_and_a_looser_field_are_accepted() -> None:
    revised = revise_draft(
        DRAFT,
        _fields(
            {**BAGS, "required": False},
            {**WEATHER, "choices": ["sun", "rain", "snow"]},
            NOTE,
            {"key": "photos", "type": "photo", "label_zh": "照片", "required": False},
        ),
    )
    assert [f.key for f in revised.fields] == ["bags", "weather", "note", "photos"]


@pytest.mark.parametrize(
    ("revision", "field", "words"),
    [
        (_fields(BAGS, WEATHER), "fields.note", "cannot be removed or renamed"),
        (_fields({**BAGS, "key": "sacks"}, WEATHER, NOTE), "fields.bags", "removed or renamed"),
        (_fields({**BAGS, "type": "text", "aggregates": []}, WEATHER, NOTE), "fields.bags",
         "stays number"),
        (_fields(BAGS, {**WEATHER, "choices": ["sun"]}, NOTE), "fields.weather", "'rain'"),
        (_fields(BAGS, WEATHER, {**NOTE, "required": True}), "fields.note",
         "cannot become required"),
        (
            _fields(BAGS, WEATHER, NOTE, {"key": "staff", "type": "number", "label_zh": "人数"}),
            "fields.staff",
            "must be optional",
        ),
        (TemplateRevision(code="litter-weekly"), "code", "create a new template"),
        (TemplateRevision(submitter_level=Level.GRID), "submitter_level", "stays community"),
        (TemplateRevision(schedule=Schedule.WEEKLY), "schedule", "stays daily"),
        (TemplateRevision(name_zh=" "), "name_zh", "required"),
    ],
)  # fmt: skip
def test_a_revision_that_would_change_stored_reports_is_refused_naming_the_field(
    revision: TemplateRevision, field: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        revise_draft(DRAFT, revision)
    assert refused.value.field == field
    assert words in refused.value.message


def test_every_answer_valid_before_an_accepted_revision_is_valid_after() -> None:
    answers = [
        {"bags": 3, "weather": "rain"},
        {"bags": 0.5, "weather": "sun", "note": "ok"},
    ]
    revised = revise_draft(
        DRAFT,
        _fields(
            {**BAGS, "required": False, "aggregates": ["mean"]},
            {**WEATHER, "choices": ["rain", "sun", "fog"], "label_en": "Weather"},
            NOTE,
            {"key": "extra", "type": "yes_no", "label_zh": "另", "required": False},
        ),
    )
    for answer in answers:
        assert check_answer(revised.fields, answer) == check_answer(DRAFT.fields, answer)


def test_the_same_draft_again_changes_nothing() -> None:
    assert changed_parts(DRAFT, revise_draft(DRAFT, TemplateRevision(fields=DRAFT.fields))) == []
