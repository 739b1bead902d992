"""Report schemas: templates, submissions, aggregates, missing units, urgent reports."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator

from civicgrid.api.schemas.cases import TextIn
from civicgrid.api.schemas.directives import Code, FormFieldIn, LevelSlug
from civicgrid.domain.areas import Level
from civicgrid.domain.forms import parse_form
from civicgrid.domain.reports import ReportTemplate, Schedule, Submission, TemplateDraft
from civicgrid.domain.reports.revision import TemplateRevision
from civicgrid.services.report_ports import Reader
from civicgrid.services.reports.aggregating import AggregateRow

Period = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9-]+$")]


class TemplateCreate(TextIn):
    """Either `builtin` (a packaged template, e.g. flood-daily) or the fields in full."""

    area_code: Code
    builtin: str | None = Field(default=None, max_length=40, examples=["flood-daily"])
    code: str | None = Field(default=None, max_length=40)
    name_zh: str | None = Field(default=None, max_length=200)
    name_en: str = Field(default="", max_length=200)
    submitter_level: LevelSlug | None = None
    schedule: Schedule = Schedule.DAILY
    due_time: time = time(18, 0)
    fields: list[FormFieldIn] = Field(default_factory=list, max_length=50)

    def to_domain(self) -> TemplateDraft:
        return TemplateDraft(
            code=self.code or "",
            name_zh=self.name_zh or "",
            name_en=self.name_en,
            submitter_level=Level.from_slug(self.submitter_level or "community"),
            schedule=self.schedule,
            due_time=self.due_time,
            fields=parse_form([f.model_dump() for f in self.fields]),
        )


class TemplateUpdate(TextIn):
    """Only what is sent changes. `fields` is the whole new list: every field kept with its
    key and type, new ones optional. A different code, submitter_level or schedule is
    refused (422), as is any change that would alter the reports already sent."""

    code: str | None = Field(default=None, max_length=40)
    name_zh: str | None = Field(default=None, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    submitter_level: LevelSlug | None = None
    schedule: Schedule | None = None
    due_time: time | None = None
    fields: list[FormFieldIn] | None = Field(default=None, max_length=50)

    def to_domain(self) -> TemplateRevision:
        return TemplateRevision(
            name_zh=self.name_zh,
            name_en=self.name_en,
            due_time=self.due_time,
            fields=None if self.fields is None else parse_form(
                [f.model_dump() for f in self.fields], where="fields"
            ),
            code=self.code,
            submitter_level=Level.from_slug(self.submitter_level) if self.submitter_level else None,
            schedule=self.schedule,
        )  # fmt: skip


class TemplatePublic(BaseModel):
    id: int
    code: str
    name_zh: str
    name_en: str
    area_code: str
    submitter_level: str
    schedule: Schedule
    due_time: str
    fields: list[FormFieldIn]

    @classmethod
    def of(cls, t: ReportTemplate) -> TemplatePublic:
        d = t.draft
        return cls(
            id=t.id,
            code=d.code,
            name_zh=d.name_zh,
            name_en=d.name_en,
            area_code=t.area_code,
            submitter_level=d.submitter_level.slug,
            schedule=d.schedule,
            due_time=d.due_time.strftime("%H:%M"),
            fields=[FormFieldIn.of(f) for f in d.fields],
        )


class SubmissionIn(TextIn):
    area_code: Code
    period: Period | None = Field(default=None, description="Default: the current period")
    values: dict[str, Any]


class SubmissionPublic(BaseModel):
    area_code: str
    period: str
    version: int
    current: bool
    late: bool
    values: dict[str, Any]
    submitted_by: str
    submitted_at: datetime

    @classmethod
    def of(cls, s: Submission) -> SubmissionPublic:
        return cls(
            area_code=s.area_code,
            period=s.period,
            version=s.version,
            current=s.current,
            late=s.late,
            values=s.values,
            submitted_by=s.submitted_by,
            submitted_at=s.submitted_at,
        )


_PLURAL = {
    Level.DISTRICT: "districts",
    Level.STREET: "streets",
    Level.COMMUNITY: "communities",
    Level.GRID: "grids",
    Level.MICRO_GRID: "micro-grids",
    Level.CITY: "cities",
}


class AggregateRowOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    level: str
    expected: int
    reported: int
    late: int
    summary_zh: str  # "312 / 340 已报"
    summary_en: str  # "312 of 340 reported"
    values: dict[str, dict[str, float]]

    @classmethod
    def of(cls, row: AggregateRow, unit: Level) -> AggregateRowOut:
        return cls(
            code=row.code,
            name_zh=row.name_zh,
            name_en=row.name_en,
            level=row.level_slug,
            expected=row.expected,
            reported=row.reported,
            late=row.late,
            summary_zh=f"{row.reported} / {row.expected} 个{unit.name_zh}已报",
            summary_en=f"{row.reported} of {row.expected} {_PLURAL[unit]} reported",
            values=row.values,
        )


class AggregateOut(BaseModel):
    template_id: int
    period: str
    due_at: datetime | None
    node: AggregateRowOut
    children: list[AggregateRowOut]


class MissingUnit(BaseModel):
    area_code: str
    name_zh: str


class MissingList(BaseModel):
    period: str
    data: list[MissingUnit]
    count: int
    page: int
    page_size: int


class RemindOut(BaseModel):
    period: str
    reminded: int | None = Field(description="null: reminded for this period already")


UrgentValue = float | bool | Annotated[str, Field(max_length=400)]


class UrgentIn(TextIn):
    area_code: Code
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=4000)
    values: dict[Annotated[str, Field(max_length=40)], UrgentValue] = Field(
        default_factory=dict, max_length=50, description="A few figures: water depth, people…"
    )

    @field_validator("values", mode="after")
    @classmethod
    def _no_nul_inside(cls, values: dict[str, Any]) -> dict[str, Any]:
        for key, value in values.items():
            if "\x00" in key or (isinstance(value, str) and "\x00" in value):
                raise ValueError("text cannot contain the NUL character")
        return values


class ReaderOut(BaseModel):
    area_code: str
    username: str
    read_at: datetime

    @classmethod
    def of(cls, r: Reader) -> ReaderOut:
        return cls(
            area_code=r.area_path.rstrip("/").rsplit("/", 1)[-1],
            username=r.username,
            read_at=r.read_at,
        )


class UrgentOut(BaseModel):
    id: int
    area_code: str
    title: str
    body: str
    values: dict[str, Any]
    submitted_by: str
    submitted_at: datetime
    delivered_to: list[str]
    read_by: list[ReaderOut]
