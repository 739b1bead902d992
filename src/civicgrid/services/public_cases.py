"""The public view of one case: what anyone may see, and what its reporter may do now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from civicgrid.domain.areas import AreaPath
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.categories import CategoryTree
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.guards import ReopenPolicy
from civicgrid.domain.cases.stages import Outcome, Stage
from civicgrid.domain.citizens.timeline import (
    PublicEntry,
    closing_note,
    public_status,
    public_timeline,
)
from civicgrid.domain.errors import NotFound
from civicgrid.services.area_names import ancestor_paths
from civicgrid.services.case_ports import CaseRules


@dataclass(frozen=True, slots=True)
class PublicCaseView:
    case_id: int
    category: str
    category_zh: str
    category_en: str
    status: str  # "open" or "closed", as Open311 says
    stage: Stage
    outcome: Outcome | None
    area_code: str
    address_zh: str  # most specific first: micro-grid, grid, … city
    address_en: str
    department_zh: str  # empty until dispatched
    department_en: str
    description: str
    location: tuple[float, float] | None  # (lon, lat)
    reported_at: datetime
    updated_at: datetime
    expected_at: datetime | None  # the current stage's deadline
    closed_at: datetime | None
    status_note: str  # why it is closed; empty while open
    rating: int | None
    photo_count: int
    timeline: list[PublicEntry]
    may_rate: bool  # only ever True for the holder of the tracking code
    may_reopen: bool
    reopen_until: datetime | None


def department_names(tree: CategoryTree, code: str | None) -> tuple[str, str]:
    if not code:
        return "", ""
    try:
        department = tree.department(code)
    except NotFound:
        return code, code
    return department.name_zh, department.name_en or department.name_zh


def category_names(tree: CategoryTree, code: str) -> tuple[str, str]:
    try:
        minor = tree.minor(code)
    except NotFound:
        return code, code
    return minor.name_zh, minor.name_en or minor.name_zh


def address_of(path: AreaPath, names: Mapping[AreaPath, tuple[str, str]]) -> tuple[str, str]:
    """Area names from the most specific to the city, as Open311 asks for addresses."""
    found = [names[p] for p in reversed(ancestor_paths(path)) if p in names]
    return ", ".join(zh for zh, _ in found), ", ".join(en for _, en in found)


def public_view_of(
    rules: CaseRules,
    case: Case,
    events: Sequence[CaseEvent],
    names: Mapping[AreaPath, tuple[str, str]],
    *,
    allowed: Sequence[str],
    policy: ReopenPolicy,
) -> PublicCaseView:
    tree = rules.tree

    def department_zh(code: str) -> str:
        zh, en = department_names(tree, code)
        return f"{zh} ({en})" if en and en != zh else zh

    dept_zh, dept_en = department_names(tree, case.department)
    cat_zh, cat_en = category_names(tree, case.category)
    address_zh, address_en = address_of(case.area_path, names)
    may_reopen = "reopen" in allowed
    return PublicCaseView(
        case_id=case.id,
        category=case.category,
        category_zh=cat_zh,
        category_en=cat_en,
        status=public_status(case.status.value),
        stage=case.stage,
        outcome=case.outcome,
        area_code=case.area_code,
        address_zh=address_zh,
        address_en=address_en,
        department_zh=dept_zh,
        department_en=dept_en,
        description=case.description,
        location=case.location,
        reported_at=case.reported_at,
        updated_at=case.last_event_at,
        expected_at=rules.stage_deadline(case),
        closed_at=case.closed_at,
        status_note=closing_note(events, department_zh) if case.finished else "",
        rating=case.rating,
        photo_count=len(case.attachments),
        timeline=public_timeline(events, department_zh),
        may_rate="rate" in allowed,
        may_reopen=may_reopen,
        reopen_until=(
            case.closed_at + timedelta(days=policy.window_days)
            if may_reopen and case.closed_at
            else None
        ),
    )
