"""The workbench's pure parts: whose stage is whose, and the action forms read from the
workflow's own signatures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pytest

from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Stage
from civicgrid.services.cases.acting import ACTIONS
from civicgrid.services.cases.tasks import stages_to_work
from civicgrid.web.case_forms import Kind, action_form, read_action
from civicgrid.web.page import Page

DEPARTMENTS = {"city_management"}


@dataclass
class EnglishPage:
    def gettext(self, message: str, **params: object) -> str:
        return message % params if params else message


def read(action: CaseAction, **values: str) -> tuple[dict[str, Any], list[str]]:
    page = cast(Page, EnglishPage())
    args, problems = read_action(page, action_form(action), values, DEPARTMENTS)
    return args, [p.field for p in problems]


@pytest.mark.parametrize(
    ("position", "stages"),
    [
        (Position.ACCEPTOR, (Stage.COLLECT,)),
        (Position.INSPECTOR, (Stage.FILE, Stage.VERIFY_CLOSE)),
        (Position.SHIFT_LEADER, (Stage.FILE, Stage.VERIFY_CLOSE)),
        (Position.DISPATCHER, (Stage.DISPATCH, Stage.FEEDBACK)),
        (Position.HANDLER, (Stage.HANDLE,)),
    ],
)
def test_each_position_works_at_the_stages_the_table_gives_it(
    position: Position, stages: tuple[Stage, ...]
) -> None:
    assert stages_to_work(position) == stages


def test_every_action_a_person_takes_has_a_form() -> None:
    for action in ACTIONS:
        assert action_form(action).action is action


def test_a_form_has_the_workflow_functions_arguments_in_order() -> None:
    form = action_form(CaseAction.HANDLE)
    assert [(f.name, f.required) for f in form.fields] == [
        ("result", True),
        ("attachments", False),
    ]
    assert form.has_photo
    assert not action_form(CaseAction.ACCEPT).fields


def test_answers_become_the_use_cases_arguments() -> None:
    assert read(CaseAction.VERIFY, passed="no", note="还有垃圾") == (
        {"passed": False, "note": "还有垃圾"},
        [],
    )
    assert read(CaseAction.CLOSE, outcome="fixed") == ({"outcome": Outcome.FIXED}, [])
    assert read(CaseAction.REQUEST_EXTENSION, working_seconds="1.5", reason="等材料")[0] == {
        "working_seconds": 5400,
        "reason": "等材料",
    }
    assert read(CaseAction.DISPATCH, department="city_management")[0] == {
        "department": "city_management"
    }


def test_missing_or_bad_answers_are_named_by_their_control() -> None:
    assert read(CaseAction.VOID)[1] == ["void-reason"]
    assert read(CaseAction.DISPATCH, department="nowhere")[1] == ["dispatch-department"]
    assert read(CaseAction.CLOSE, outcome="duplicate")[1] == ["close-outcome"]
    assert read(CaseAction.CHECK, passed="maybe")[1] == ["check-passed"]
    assert read(CaseAction.MERGE_INTO, other_case_id="1.5")[1] == ["merge_into-other_case_id"]
    assert read(CaseAction.REQUEST_EXTENSION, working_seconds="-2", reason="x")[1] == [
        "request_extension-working_seconds"
    ]


def test_every_control_kind_is_used_by_some_action() -> None:
    used = {f.control.kind for a in ACTIONS for f in action_form(a).fields}
    assert used == set(Kind)
