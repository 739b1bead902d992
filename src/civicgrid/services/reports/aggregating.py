"""Aggregates per level ("312 of 340 communities reported"), and who is missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.access import Action, Principal, authorize, readable_scopes
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.domain.reports import ReportTemplate, Submission
from civicgrid.domain.reports.aggregate import aggregate
from civicgrid.domain.reports.periods import due_at
from civicgrid.services.ports import Page, UnitOfWork
from civicgrid.services.reports.submitting import resolve_period
from civicgrid.services.reports.templates import access_template

MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class AggregateRow:
    code: str
    name_zh: str
    name_en: str
    level_slug: str
    expected: int
    reported: int
    late: int
    values: dict[str, dict[str, float]]


@dataclass(frozen=True, slots=True)
class Aggregated:
    template: ReportTemplate
    period: str
    due_at: datetime | None
    node: AggregateRow
    children: list[AggregateRow]


def _node(
    uow: UnitOfWork, principal: Principal, template: ReportTemplate, code: str | None
) -> Area:
    if code is None:
        scopes = readable_scopes(principal)
        if any(is_within(template.area_path, s) for s in scopes):
            code = template.area_code
        else:
            inside = [s for s in scopes if is_within(s, template.area_path)]
            code = inside[0].rstrip("/").rsplit("/", 1)[-1]
    area = uow.areas.get(code, with_geometry=False) if code.isdigit() else None
    if area is None:
        raise NotFound(f"no area with code {code}", field="at")
    if not is_within(area.path, template.area_path):
        raise InvalidInput(
            f"{area.code} lies outside the area of {template.draft.code}", field="at"
        )
    authorize(principal, Action.READ, area.path, f"the reports of {area.code}")
    return area


def _row(
    template: ReportTemplate,
    code: str,
    zh: str,
    en: str,
    slug: str,
    expected: int,
    got: list[Submission],
) -> AggregateRow:
    return AggregateRow(
        code, zh, en, slug, expected, len(got), sum(1 for s in got if s.late),
        aggregate(template.draft.fields, (s.values for s in got)),
    )  # fmt: skip


def get_aggregate(
    uow: UnitOfWork,
    principal: Principal,
    template_id: int,
    *,
    period: str | None,
    at: str | None = None,
    now: datetime,
    zone: str,
) -> Aggregated:
    with uow:
        template = access_template(uow, principal, template_id)
        label = resolve_period(template, period, now, zone)
        node = _node(uow, principal, template, at)
        own, children = uow.reports.expected(template, node.path)
        submissions = uow.reports.current(template.id, label, node.path)
    by_child: dict[str, list[Submission]] = {c.path: [] for c in children}
    for submission in submissions:
        for child in children:  # a handful of children: a scan is cheaper than a trie
            if is_within(submission.area_path, child.path):
                by_child[child.path].append(submission)
                break
    rows = [
        _row(template, c.code, c.name_zh, c.name_en, c.level.slug, c.expected, by_child[c.path])
        for c in children
    ]
    expected = own + sum(c.expected for c in children)
    top = _row(
        template, node.code, node.name_zh, node.name_en, node.level.slug, expected, submissions
    )
    return Aggregated(template, label, due_at(template, label, zone), top, rows)


def list_missing(
    uow: UnitOfWork,
    principal: Principal,
    template_id: int,
    *,
    period: str | None,
    at: str | None = None,
    now: datetime,
    zone: str,
    page: int = 1,
    page_size: int = 100,
) -> tuple[str, Page[tuple[str, str, str]]]:
    """(period, the units below `at` that have not reported for it)."""
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page ≥ 1, page_size 1 to {MAX_PAGE_SIZE}", field="page_size")
    with uow:
        template = access_template(uow, principal, template_id)
        label = resolve_period(template, period, now, zone)
        node = _node(uow, principal, template, at)
        found = uow.reports.missing(
            template, label, node.path, offset=(page - 1) * page_size, limit=page_size
        )
    return label, found


def list_late(
    uow: UnitOfWork,
    principal: Principal,
    template_id: int,
    *,
    period: str | None,
    at: str | None = None,
    now: datetime,
    zone: str,
) -> list[Submission]:
    with uow:
        template = access_template(uow, principal, template_id)
        label = resolve_period(template, period, now, zone)
        node = _node(uow, principal, template, at)
        return [s for s in uow.reports.current(template.id, label, node.path) if s.late]
