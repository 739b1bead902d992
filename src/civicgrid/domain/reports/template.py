"""A report template: its fields, who submits, and when."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from typing import Any

from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.forms import Form

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class Schedule(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    AD_HOC = "ad_hoc"


@dataclass(frozen=True, slots=True)
class TemplateDraft:
    code: str
    name_zh: str
    name_en: str
    submitter_level: Level
    schedule: Schedule
    due_time: time  # local time of day (daily), or on Sunday (weekly)
    fields: Form


@dataclass(frozen=True, slots=True)
class ReportTemplate:
    id: int
    draft: TemplateDraft
    area_path: AreaPath  # the units at submitter_level below this area submit
    created_by: str
    created_at: datetime

    @property
    def area_code(self) -> str:
        return self.area_path.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Submission:
    template_id: int
    area_path: AreaPath
    period: str
    version: int
    values: dict[str, Any]
    submitted_by: str
    submitted_at: datetime
    late: bool
    current: bool = True

    @property
    def area_code(self) -> str:
        return self.area_path.rstrip("/").rsplit("/", 1)[-1]


def check_draft(draft: TemplateDraft) -> None:
    if not CODE.match(draft.code):
        raise InvalidInput(
            f"template code {draft.code!r} must be lower-case letters, digits and '-'",
            field="code",
        )
    if not draft.name_zh.strip():
        raise InvalidInput("name_zh is required", field="name_zh")
    if not draft.fields:
        raise InvalidInput("a report template needs at least one field", field="fields")
    if draft.submitter_level <= Level.CITY:
        raise InvalidInput("the city itself does not submit reports", field="submitter_level")
