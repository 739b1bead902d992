"""三标 schemas: milestones, lessons and the conversion report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field, field_validator

from civicgrid.api.schemas.sanbiao import AreaCode, Code, Name, Number, Strict
from civicgrid.api.schemas.sanbiao_benchmarks import Id, Source
from civicgrid.domain.sanbiao.conversion import ActionKind, Lesson, LessonAction
from civicgrid.domain.sanbiao.milestones import Comparison, Status
from civicgrid.services.sanbiao.conversion import LessonReport
from civicgrid.services.sanbiao.milestones import AssessedMilestone

Reference = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2200, 12, 31))]


class ConditionBody(Strict):
    indicator: Code
    comparison: Comparison
    threshold: Number


class MilestoneCreate(Strict):
    area: AreaCode
    title_zh: Name
    title_en: Name
    deadline: Day
    condition: ConditionBody | None = Field(None, description="None: checked by hand")
    group: Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""
    provenance: Annotated[str, Field(max_length=300, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""


class EvidenceBody(Strict):
    evidence: list[Reference] = Field(min_length=1, max_length=50)


class ApprovalBody(Strict):
    on: Day


class ForecastPublic(BaseModel):
    expected_at_deadline: float
    spread_at_deadline: float
    probability: float = Field(description="Of meeting the threshold by the deadline")
    crossing: date | None = Field(description="Where the trend line meets the threshold")
    slope_per_year: float
    slope_per_year_low: float
    slope_per_year_high: float
    points: int


class MilestonePublic(BaseModel):
    id: int
    area: str
    title_zh: str
    title_en: str
    group: str
    deadline: date
    condition: ConditionBody | None
    provenance: str
    evidence: list[str]
    approved_by: str | None
    achieved_on: date | None
    status: Status
    reason: str
    latest_value: float | None
    forecast: ForecastPublic | None

    @classmethod
    def of(cls, a: AssessedMilestone) -> MilestonePublic:
        m, s, c = a.milestone, a.assessment, a.milestone.condition
        f = s.forecast
        return cls(
            id=m.id,
            area=m.area_code,
            title_zh=m.title_zh,
            title_en=m.title_en,
            group=m.group,
            deadline=m.deadline,
            condition=ConditionBody(
                indicator=c.indicator, comparison=c.comparison, threshold=c.threshold
            )
            if c
            else None,
            provenance=m.provenance,
            evidence=list(m.evidence),
            approved_by=m.approved_by,
            achieved_on=m.achieved_on,
            status=s.status,
            reason=s.reason,
            latest_value=s.latest.value if s.latest else None,
            forecast=ForecastPublic(
                expected_at_deadline=f.expected_at_deadline,
                spread_at_deadline=f.spread_at_deadline,
                probability=f.probability,
                crossing=f.crossing,
                slope_per_year=f.slope_per_year,
                slope_per_year_low=f.slope_per_year_low,
                slope_per_year_high=f.slope_per_year_high,
                points=f.points,
            )
            if f
            else None,
        )


class MilestoneList(BaseModel):
    data: list[MilestonePublic]
    count: int


class LessonCreate(Strict):
    area: AreaCode
    title_zh: Name
    title_en: Name
    text: Annotated[str, Field(max_length=5000, pattern=r"^[^\x00]*$")] = ""
    source: Source
    recorded_at: AwareDatetime | None = Field(
        None, description="When it was learned; now if absent"
    )
    indicators: list[Code] = Field(default_factory=list, max_length=50)
    practice_id: Id | None = None

    @field_validator("recorded_at")
    @classmethod
    def _plausible(cls, at: datetime | None) -> datetime | None:
        if at is not None and not 1900 <= at.year <= 2200:  # before any zone shift overflows
            raise ValueError("recorded_at must lie between 1900 and 2200")
        return at


class LessonPublic(BaseModel):
    id: int
    area: str
    title_zh: str
    title_en: str
    text: str
    source: str
    recorded_at: datetime
    indicators: list[str]
    practice_id: int | None

    @classmethod
    def of(cls, x: Lesson) -> LessonPublic:
        return cls(
            id=x.id,
            area=x.area_code,
            title_zh=x.title_zh,
            title_en=x.title_en,
            text=x.text,
            source=x.source,
            recorded_at=x.recorded_at,
            indicators=list(x.indicators),
            practice_id=x.practice_id,
        )


class ActionCreate(Strict):
    kind: ActionKind
    title: Name
    reference: Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""
    milestone_ids: list[Id] = Field(default_factory=list, max_length=50)


class ActionPublic(BaseModel):
    id: int
    lesson_id: int
    kind: ActionKind
    title: str
    reference: str
    milestone_ids: list[int]

    @classmethod
    def of(cls, a: LessonAction) -> ActionPublic:
        return cls(
            id=a.id,
            lesson_id=a.lesson_id,
            kind=a.kind,
            title=a.title,
            reference=a.reference,
            milestone_ids=list(a.milestone_ids),
        )


class ActionResultPublic(BaseModel):
    action: ActionPublic
    milestones: list[MilestonePublic]
    measurable: bool = Field(description="False: no measurable result yet; it stands out")


class MovementPublic(BaseModel):
    indicator: str
    before: float | None
    before_period: str | None
    latest: float | None
    latest_period: str | None
    change: float | None


class LessonReportPublic(BaseModel):
    lesson: LessonPublic
    without_action: bool
    actions: list[ActionResultPublic]
    movements: list[MovementPublic]

    @classmethod
    def of(cls, r: LessonReport) -> LessonReportPublic:
        return cls(
            lesson=LessonPublic.of(r.lesson),
            without_action=r.without_action,
            actions=[
                ActionResultPublic(
                    action=ActionPublic.of(a.action),
                    milestones=[MilestonePublic.of(m) for m in a.milestones],
                    measurable=a.measurable,
                )
                for a in r.actions
            ],
            movements=[
                MovementPublic(
                    indicator=m.indicator,
                    before=m.before,
                    before_period=m.before_period,
                    latest=m.latest,
                    latest_period=m.latest_period,
                    change=m.change,
                )
                for m in r.movements
            ],
        )


class ConversionReport(BaseModel):
    data: list[LessonReportPublic]
    lessons_without_action: int
    actions_without_result: int
