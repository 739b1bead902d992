"""Creating, reading and revising report templates."""

from __future__ import annotations

from datetime import datetime

from civicgrid.domain.access import Action, Principal, readable_scopes
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.directives.issuing import access_issuer_area
from civicgrid.domain.errors import Conflict, InvalidInput, NotFound
from civicgrid.domain.ledger import LedgerEntry
from civicgrid.domain.reports import ReportTemplate, TemplateDraft
from civicgrid.domain.reports.revision import TemplateRevision, changed_parts, revise_draft
from civicgrid.domain.reports.template import check_draft
from civicgrid.services.areas import access_area
from civicgrid.services.ports import UnitOfWork


def access_template(uow: UnitOfWork, principal: Principal, template_id: int) -> ReportTemplate:
    """A template the caller may read: its area and their jurisdiction overlap."""
    template = uow.reports.template(template_id)
    if template is not None:
        for scope in readable_scopes(principal):
            if is_within(template.area_path, scope) or is_within(scope, template.area_path):
                return template
    raise NotFound(f"no report template {template_id}", field="template_id")


def create_template(
    uow: UnitOfWork, principal: Principal, draft: TemplateDraft, area_code: str, *, now: datetime
) -> ReportTemplate:
    """Units at the draft's level below `area_code` will submit; an officer over it creates."""
    check_draft(draft)
    with uow:
        area = uow.areas.get(area_code, with_geometry=False) if area_code.isdigit() else None
        if area is None:
            raise NotFound(f"no area with code {area_code}", field="area_code")
        access_issuer_area(principal, area.path, f"create report templates for {area.code}")
        if draft.submitter_level <= area.level:
            raise InvalidInput(
                f"no {draft.submitter_level.slug} lies below {area.code}", field="submitter_level"
            )
        if uow.reports.template_by_code(draft.code) is not None:
            raise Conflict(f"a report template {draft.code} exists already", field="code")
        template_id = uow.reports.add_template(draft, area.path, principal.username, now)
        uow.ledger.append(
            LedgerEntry(
                stream=f"report-template:{template_id}",
                seq=0,
                type="template_created",
                at=now,
                actor=principal.username,
                area_path=area.path,
                data={"code": draft.code, "fields": [f.as_dict() for f in draft.fields]},
            )
        )
        template = uow.reports.template(template_id)
        uow.commit()
    if template is None:
        raise RuntimeError("a template just written cannot be read back")
    return template


def list_templates(
    uow: UnitOfWork, principal: Principal, *, within: str | None = None
) -> list[ReportTemplate]:
    """Templates whose area overlaps the caller's jurisdiction (and `within`'s area)."""
    with uow:
        found = uow.reports.templates(readable_scopes(principal))
        if within is None:
            return found
        area = access_area(uow, principal, within, Action.READ, with_geometry=False)
    return [
        t for t in found if is_within(t.area_path, area.path) or is_within(area.path, t.area_path)
    ]


def get_template(uow: UnitOfWork, principal: Principal, template_id: int) -> ReportTemplate:
    with uow:
        return access_template(uow, principal, template_id)


def find_template(uow: UnitOfWork, principal: Principal, code: str) -> ReportTemplate:
    with uow:
        template = uow.reports.template_by_code(code)
        if template is None:
            raise NotFound(f"no report template {code}", field="template")
        return access_template(uow, principal, template.id)


def _revisable(uow: UnitOfWork, principal: Principal, template_id: int) -> ReportTemplate:
    """The template, if the caller may create templates for its area (as `create_template`)."""
    template = uow.reports.template(template_id)
    if template is None:
        raise NotFound(f"no report template {template_id}", field="template_id")
    access_issuer_area(principal, template.area_path, f"revise {template.draft.code}")
    return template


def get_template_to_revise(
    uow: UnitOfWork, principal: Principal, template_id: int
) -> ReportTemplate:
    with uow:
        return _revisable(uow, principal, template_id)


def revise_template(
    uow: UnitOfWork,
    principal: Principal,
    template_id: int,
    revision: TemplateRevision,
    *,
    now: datetime,
) -> ReportTemplate:
    """Change the template in place, but only so that its stored reports keep their meaning.

    Submissions are read through the current fields, so a revision may only widen the
    form (see domain/reports/revision.py): names, due time, labels, aggregates, added
    choices and new optional fields apply at once; removing, renaming or retyping a
    field, or another code, level or schedule, is refused with InvalidInput naming the
    field, and nothing changes. The rule is checked against the row as locked, so two
    revisions cannot undo each other's added fields.
    """
    with uow:
        _revisable(uow, principal, template_id)
        current = uow.reports.lock_template(template_id)
        if current is None:
            raise NotFound(f"no report template {template_id}", field="template_id")
        revised = revise_draft(current.draft, revision)
        changed = changed_parts(current.draft, revised)
        if not changed:
            return current
        uow.reports.update_template(template_id, revised)
        uow.ledger.append(
            LedgerEntry(
                stream=f"report-template:{template_id}",
                seq=0,
                type="template_revised",
                at=now,
                actor=principal.username,
                area_path=current.area_path,
                data={
                    "changed": changed,
                    "name_zh": revised.name_zh,
                    "name_en": revised.name_en,
                    "due_time": revised.due_time.strftime("%H:%M"),
                    "fields": [f.as_dict() for f in revised.fields],
                },
            )
        )
        template = uow.reports.template(template_id)
        uow.commit()
    if template is None:
        raise RuntimeError("a template just written cannot be read back")
    return template
