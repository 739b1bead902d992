"""What the report use cases need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.reports import ReportTemplate, Submission, TemplateDraft

if TYPE_CHECKING:
    from civicgrid.services.ports import Page


@dataclass(frozen=True, slots=True)
class Expected:
    """Units expected to report below one child area of the level asked about."""

    path: AreaPath
    code: str
    level: Level
    name_zh: str
    name_en: str
    expected: int


@dataclass(frozen=True, slots=True)
class Reader:
    area_path: AreaPath  # the level the notification went to
    username: str
    read_at: datetime


@dataclass(frozen=True, slots=True)
class UrgentReport:
    id: int
    area_path: AreaPath
    title: str
    body: str
    values: dict[str, Any]
    submitted_by: str
    submitted_at: datetime


class ReportRepository(Protocol):
    def add_template(
        self, draft: TemplateDraft, area_path: AreaPath, created_by: str, now: datetime
    ) -> int: ...

    def template(self, template_id: int) -> ReportTemplate | None: ...

    def template_by_code(self, code: str) -> ReportTemplate | None: ...

    def lock_template(self, template_id: int) -> ReportTemplate | None:
        """The template as committed last, its row held for writing until the transaction
        ends: a revision checked against it cannot race another."""

    def update_template(self, template_id: int, draft: TemplateDraft) -> None: ...

    def templates(self, scopes: Sequence[AreaPath]) -> list[ReportTemplate]:
        """Templates whose area lies inside a scope or contains one."""

    def latest(self, template_id: int, period: str, area_path: AreaPath) -> Submission | None: ...

    def add_submission(self, submission: Submission) -> None:
        """Insert; the unit's earlier version for the period stops being current."""

    def versions(self, template_id: int, period: str, area_path: AreaPath) -> list[Submission]: ...

    def current(self, template_id: int, period: str, within: AreaPath) -> list[Submission]: ...

    def expected(self, template: ReportTemplate, node: AreaPath) -> tuple[int, list[Expected]]:
        """Units at the template's level inside both its area and `node`: how many at
        `node` itself, and per child of `node`."""

    def missing(
        self, template: ReportTemplate, period: str, within: AreaPath, *, offset: int, limit: int
    ) -> Page[tuple[AreaPath, str, str]]:
        """Expected units without a current submission: (path, code, name_zh)."""

    def claim_reminder(self, template_id: int, period: str, now: datetime) -> bool: ...

    def set_reminder_count(self, template_id: int, period: str, count: int) -> None: ...

    def add_urgent(
        self,
        area_path: AreaPath,
        title: str,
        body: str,
        values: dict[str, Any],
        by: str,
        now: datetime,
    ) -> int: ...

    def add_deliveries(
        self, urgent_id: int, deliveries: Sequence[tuple[int, AreaPath]]
    ) -> None: ...

    def urgent(self, urgent_id: int) -> UrgentReport | None: ...

    def deliveries(self, urgent_id: int) -> list[tuple[int, AreaPath]]: ...

    def readers(self, urgent_id: int) -> list[Reader]: ...
