"""Revising a report template without changing what its stored reports mean.

Submissions are kept as sent and read through the template's current fields, so a
revision may only widen the form: every answer valid before stays valid after, and
each stored value keeps its field and type, so aggregates over old periods stay true.
Allowed in place: the names, the due time, field labels, order and aggregates, added
choices, a field made optional, new optional fields. Refused, naming the field: another
code, submitter level or schedule; a field removed or renamed (its key changed), its
type changed, a choice removed, a field made required or added as required. A template
that must mean something else is a new template with its own code; the old one keeps
its reports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import fields as parts
from datetime import time
from enum import StrEnum

from civicgrid.domain.areas import Level
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.forms import Form, FormField
from civicgrid.domain.reports.template import Schedule, TemplateDraft, check_draft

NEW_TEMPLATE = "create a new template instead"


@dataclass(frozen=True, slots=True)
class TemplateRevision:
    """What to change; None keeps the current value."""

    name_zh: str | None = None
    name_en: str | None = None
    due_time: time | None = None
    fields: Form | None = None
    # Never changed in place: given only so that a different value is refused, not ignored.
    code: str | None = None
    submitter_level: Level | None = None
    schedule: Schedule | None = None


def revise_draft(draft: TemplateDraft, revision: TemplateRevision) -> TemplateDraft:
    """The revised draft; InvalidInput names the field whose change would alter stored reports."""
    given = {f.name: getattr(revision, f.name) for f in parts(revision)}
    if revision.due_time is not None:  # stored to the minute, on the city's clock
        given["due_time"] = time(revision.due_time.hour, revision.due_time.minute)
    revised = replace(draft, **{name: value for name, value in given.items() if value is not None})
    check_draft(revised)
    check_revision(draft, revised)
    return revised


class Refusal(StrEnum):
    CODE = "code"
    LEVEL = "submitter_level"
    SCHEDULE = "schedule"
    REMOVED = "removed"  # or renamed: the stored key would name nothing
    RETYPED = "retyped"
    CHOICE_REMOVED = "choice_removed"
    REQUIRED = "required"
    NEW_REQUIRED = "new_required"


class RevisionRefused(InvalidInput):
    """A revision that would change what stored reports mean; `key` is the field's."""

    code = "revision_refused"

    def __init__(self, message: str, *, reason: Refusal, key: str = "") -> None:
        super().__init__(message, field=f"fields.{key}" if key else reason.value)
        self.reason = reason
        self.key = key


def check_revision(old: TemplateDraft, new: TemplateDraft) -> None:
    if new.code != old.code:
        raise RevisionRefused(
            f"the code {old.code} names the template and its reports; {NEW_TEMPLATE}",
            reason=Refusal.CODE,
        )
    if new.submitter_level is not old.submitter_level:
        raise RevisionRefused(
            f"the submitting level stays {old.submitter_level.slug}: its units sent the "
            f"stored reports; {NEW_TEMPLATE}",
            reason=Refusal.LEVEL,
        )
    if new.schedule is not old.schedule:
        raise RevisionRefused(
            f"the schedule stays {old.schedule.value}: stored reports are filed under its "
            f"periods; {NEW_TEMPLATE}",
            reason=Refusal.SCHEDULE,
        )
    after = {f.key: f for f in new.fields}
    for before in old.fields:
        _check_kept(before, after.get(before.key))
    known = {f.key for f in old.fields}
    for spec in new.fields:
        if spec.key not in known and spec.required:
            raise RevisionRefused(
                f"the new field {spec.key} must be optional (required: false): stored "
                "reports lack it",
                reason=Refusal.NEW_REQUIRED,
                key=spec.key,
            )


def _check_kept(before: FormField, now: FormField | None) -> None:
    key = before.key
    if now is None:
        raise RevisionRefused(
            f"field {key} cannot be removed or renamed: stored reports hold it",
            reason=Refusal.REMOVED,
            key=key,
        )
    if now.type is not before.type:
        raise RevisionRefused(
            f"field {key} stays {before.type.value}: stored reports hold "
            f"{before.type.value} values",
            reason=Refusal.RETYPED,
            key=key,
        )
    if dropped := [c for c in before.choices if c not in now.choices]:
        raise RevisionRefused(
            f"field {key} keeps its choice {dropped[0]!r}: stored reports may hold it",
            reason=Refusal.CHOICE_REMOVED,
            key=key,
        )
    if now.required and not before.required:
        raise RevisionRefused(
            f"field {key} cannot become required: stored reports may lack it",
            reason=Refusal.REQUIRED,
            key=key,
        )


def changed_parts(old: TemplateDraft, new: TemplateDraft) -> list[str]:
    """The names of the draft's parts that differ, for the log."""
    return [f.name for f in parts(old) if getattr(old, f.name) != getattr(new, f.name)]
