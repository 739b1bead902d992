"""A form per case action, built from the use case's own table (`acting.ACTIONS`).

Each workflow function names its arguments after (case, actor, position, now); each
argument name has one kind of form control here, so a new action needs no page code
unless it brings an argument of a new name.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.stages import Outcome
from civicgrid.services.cases.acting import ACTIONS
from civicgrid.web.case_labels import N_
from civicgrid.web.forms import Problem
from civicgrid.web.page import Page

MAX_TEXT = 4000
LEADING = 4  # case, actor, position, now


class Kind(StrEnum):
    TEXT = "text"
    YES_NO = "yes_no"
    DEPARTMENT = "department"
    OUTCOME = "outcome"
    HOURS = "hours"
    CASE_ID = "case_id"
    SCORE = "score"
    PHOTO = "photo"


@dataclass(frozen=True, slots=True)
class Control:
    kind: Kind
    label: str  # marked for translation
    yes: str = ""  # the two answers of a YES_NO control
    no: str = ""


CONTROLS: dict[str, Control] = {
    "reason": Control(Kind.TEXT, N_("Reason")),
    "note": Control(Kind.TEXT, N_("Note")),
    "text": Control(Kind.TEXT, N_("Note")),
    "result": Control(Kind.TEXT, N_("What was done")),
    "comment": Control(Kind.TEXT, N_("Comment")),
    "passed": Control(Kind.YES_NO, N_("Result"), N_("Passed"), N_("Failed")),
    "approved": Control(Kind.YES_NO, N_("Decision"), N_("Approve"), N_("Refuse")),
    "department": Control(Kind.DEPARTMENT, N_("Department")),
    "outcome": Control(Kind.OUTCOME, N_("Outcome")),
    "working_seconds": Control(Kind.HOURS, N_("Working hours more")),
    "other_case_id": Control(Kind.CASE_ID, N_("The case it duplicates (number)")),
    "score": Control(Kind.SCORE, N_("Score (1 to 5)")),
    "attachments": Control(Kind.PHOTO, N_("Photo (optional)")),
}

CLOSING_OUTCOMES = (
    (Outcome.FIXED, N_("Fixed")),
    (Outcome.CLOSED_NOT_FIXED, N_("Closed, not fixed")),
)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    control: Control
    required: bool


@dataclass(frozen=True, slots=True)
class ActionForm:
    action: CaseAction
    fields: tuple[Field, ...]

    @property
    def has_photo(self) -> bool:
        return any(f.control.kind is Kind.PHOTO for f in self.fields)


def action_form(action: CaseAction) -> ActionForm:
    """The action's arguments as form fields, from its workflow function's signature."""
    parameters = list(inspect.signature(ACTIONS[action]).parameters.values())[LEADING:]
    fields = tuple(
        Field(p.name, CONTROLS[p.name], p.default is inspect.Parameter.empty)
        for p in parameters
        if p.kind is not inspect.Parameter.KEYWORD_ONLY
    )
    return ActionForm(action, fields)


def read_action(
    page: Page, form: ActionForm, values: Mapping[str, str], departments: set[str]
) -> tuple[dict[str, Any], list[Problem]]:
    """The use case's arguments from the posted fields (photos aside: the caller stores
    them), or the problems, each named in the page's language."""
    _ = page.gettext
    args: dict[str, Any] = {}
    problems = []
    for field in form.fields:
        kind = field.control.kind
        if kind is Kind.PHOTO:
            continue
        raw = values.get(field.name, "").strip()
        control_id = f"{form.action.value}-{field.name}"
        if not raw:
            if field.required:
                problems.append(
                    Problem(control_id, _("Fill in %(field)s.", field=_(field.control.label)))
                )
            continue
        value = _parse(kind, raw, departments)
        if value is None:
            problems.append(
                Problem(control_id, _("%(field)s is not valid.", field=_(field.control.label)))
            )
        else:
            args[field.name] = value
    return args, problems


def _parse(kind: Kind, raw: str, departments: set[str]) -> Any:
    if kind is Kind.TEXT:
        return raw if len(raw) <= MAX_TEXT and "\x00" not in raw else None
    if kind is Kind.YES_NO:
        return {"yes": True, "no": False}.get(raw)
    if kind is Kind.DEPARTMENT:
        return raw if raw in departments else None
    if kind is Kind.OUTCOME:
        return next((o for o, _ in CLOSING_OUTCOMES if o.value == raw), None)
    number = _number(raw)
    if number is None:
        return None
    if kind is Kind.HOURS:
        return round(number * 3600) if 0 < number <= 10_000 else None
    if kind is Kind.SCORE:
        return int(number) if number in {1, 2, 3, 4, 5} else None
    return int(number) if number.is_integer() and 1 <= number < 2**31 else None  # CASE_ID


def _number(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
