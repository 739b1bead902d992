"""Reading the issue form: content, targets and the feedback form's fields.

The use cases check everything again; this layer turns the form's text into domain
values and names, in the page's language, what cannot be read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from civicgrid.domain.areas import Level
from civicgrid.domain.directives import Content, Priority, Selection
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.forms import FieldType, Form, parse_form
from civicgrid.web.forms import Problem
from civicgrid.web.page import Page

FIELD_ROWS = 5  # feedback fields offered on the page; the script adds no more
FEEDBACK_TYPES = (
    FieldType.TEXT,
    FieldType.NUMBER,
    FieldType.CHOICE,
    FieldType.PHOTO,
    FieldType.YES_NO,
)
TARGET_MODES = ("level", "tag", "list")
TARGET_LEVELS = (Level.STREET, Level.COMMUNITY, Level.GRID, Level.MICRO_GRID)
CODE_SPLIT = re.compile(r"[\s,，;；]+")


@dataclass(slots=True)
class IssueForm:
    """The fields as typed, so a page with problems shows them again."""

    fields: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


def read_selection(page: Page, fields: Mapping[str, str], problems: list[Problem]) -> Selection:
    _ = page.gettext
    mode = fields.get("target", "level")
    within = fields.get("within", "").strip() or None
    if mode == "list":
        codes = tuple(c for c in CODE_SPLIT.split(fields.get("codes", "")) if c)
        if not codes:
            problems.append(Problem("codes", _("List the codes of the units to reach.")))
        return Selection(within=within, codes=codes)
    if mode == "tag":
        tag = fields.get("tag", "").strip()
        if not tag:
            problems.append(Problem("tag", _("Choose a tag.")))
        return Selection(within=within, tags=(tag,) if tag else ())
    try:
        level = Level.from_slug(fields.get("level", ""))
    except ValueError:
        problems.append(Problem("level", _("Choose the level of the units to reach.")))
        return Selection(within=within)
    return Selection(within=within, level=level)


def _moment(page: Page, text: str) -> datetime | None:
    """A `datetime-local` value, on the city's clock."""
    if not text:
        return None
    try:
        local = datetime.fromisoformat(text)
    except ValueError:
        return None
    zone = ZoneInfo(page.container.settings.zone)
    return local.replace(tzinfo=zone) if local.tzinfo is None else local


def read_feedback_form(page: Page, fields: Mapping[str, str], problems: list[Problem]) -> Form:
    _ = page.gettext
    raw = []
    for i in range(1, FIELD_ROWS + 1):
        label = fields.get(f"field_{i}_label_zh", "").strip()
        if not label:
            continue
        kind = fields.get(f"field_{i}_type", "text")
        choices = [c for c in CODE_SPLIT.split(fields.get(f"field_{i}_choices", "")) if c]
        raw.append(
            {
                "key": f"field_{i}",
                "type": kind,
                "label_zh": label,
                "label_en": fields.get(f"field_{i}_label_en", "").strip(),
                "required": fields.get(f"field_{i}_required") == "on",
                "choices": choices,
            }
        )
    try:
        form = parse_form(raw, where="form")
    except InvalidInput as error:
        problems.append(
            Problem("field_1_label_zh", _("Check the feedback fields: %(reason)s",
                                          reason=error.message))
        )  # fmt: skip
        return ()
    if kinds := [f for f in form if f.type not in FEEDBACK_TYPES]:
        problems.append(Problem(f"{kinds[0].key}_type", _("Choose a field type from the list.")))
    return form


def read_content(page: Page, fields: Mapping[str, str], problems: list[Problem]) -> Content:
    """Texts, priority and deadlines (what a revision may change on the page)."""
    _ = page.gettext
    title_zh = fields.get("title_zh", "").strip()
    if not title_zh:
        problems.append(Problem("title_zh", _("Give the directive a title in Chinese.")))
    try:
        priority = Priority(fields.get("priority", "normal"))
    except ValueError:
        problems.append(Problem("priority", _("Choose a priority from the list.")))
        priority = Priority.NORMAL
    deadlines = {}
    for name in ("sign_by", "due_by"):
        text = fields.get(name, "").strip()
        deadlines[name] = _moment(page, text)
        if text and deadlines[name] is None:
            problems.append(Problem(name, _("Give the date and time as the calendar offers it.")))
    return Content(
        title_zh=title_zh,
        body_zh=fields.get("body_zh", "").strip(),
        title_en=fields.get("title_en", "").strip(),
        body_en=fields.get("body_en", "").strip(),
        priority=priority,
        sign_deadline_at=deadlines["sign_by"],
        complete_deadline_at=deadlines["due_by"],
    )


def read_issue_form(page: Page, fields: Mapping[str, str]) -> tuple[IssueForm, Content, Selection]:
    form = IssueForm(fields=dict(fields))
    content = read_content(page, fields, form.problems)
    selection = read_selection(page, fields, form.problems)
    feedback = read_feedback_form(page, fields, form.problems)
    return form, replace(content, form=feedback), selection


PROBLEM_FIELDS = {
    "title_zh": "title_zh",
    "body_zh": "body_zh",
    "sign_deadline_at": "sign_by",
    "complete_deadline_at": "due_by",
    "selection": "level",
    "selection.level": "level",
    "selection.within": "within",
    "selection.codes": "codes",
    "from_area": "from_area",
    "attachments": "attachments",
    "file": "attachments",
}


def problem_of_issue(page: Page, error: InvalidInput) -> Problem:
    """A use case's refusal of the issue form, next to the field it names."""
    _ = page.gettext
    where = PROBLEM_FIELDS.get(error.field or "", "problems")
    messages = {
        "sign_by": _("The deadlines must lie in the future, signing no later than completion."),
        "due_by": _("The deadlines must lie in the future, signing no later than completion."),
        "level": _("This selection reaches no unit; choose another level, tag or list."),
        "codes": _("Some codes are not areas below yours: %(reason)s", reason=error.message),
    }
    return Problem(
        where,
        messages.get(where) or _("This could not be accepted: %(reason)s", reason=error.message),
    )


def deadline_value(page: Page, moment: datetime | None) -> str:
    """A moment as a `datetime-local` input shows it, on the city's clock."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(page.container.settings.zone)).strftime("%Y-%m-%dT%H:%M")
