"""三标 schemas: the catalogue, values, standards and the gap analysis."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from civicgrid.domain.sanbiao.catalogue import (
    Aggregation,
    Direction,
    IndicatorDef,
    Kind,
    Periodicity,
    Theme,
)
from civicgrid.domain.sanbiao.gaps import Gap, Rank
from civicgrid.domain.sanbiao.standards import Rule, Standard
from civicgrid.domain.sanbiao.values import ValueVersion
from civicgrid.services.sanbiao.importing import ImportReport

TEXT = r"^[^\x00-\x1f\x7f]*$"  # no control characters
Code = Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[a-z][a-z0-9_.]+$")]
AreaCode = Annotated[str, Field(min_length=1, max_length=17, pattern=r"^\d+$")]
PeriodText = Annotated[str, Field(min_length=4, max_length=7, pattern=r"^\d{4}(-Q[1-4]|-\d{2})?$")]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=TEXT)]
Text = Annotated[str, Field(max_length=500, pattern=TEXT)]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e15, le=1e15)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IndicatorCreate(Strict):
    code: Code
    name_zh: Name
    name_en: Name
    unit: Annotated[str, Field(min_length=1, max_length=40, pattern=TEXT)]
    direction: Direction
    aggregation: Aggregation
    weight: Code | None = None
    periodicity: Periodicity
    theme: Theme | None = None

    def to_domain(self) -> IndicatorDef:
        return IndicatorDef(
            self.code,
            self.name_zh,
            self.name_en,
            self.unit,
            self.direction,
            self.aggregation,
            self.periodicity,
            Kind.REPORTED,
            self.theme,
            self.weight,
        )


class IndicatorPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: Direction
    aggregation: Aggregation
    weight: str | None
    periodicity: Periodicity
    kind: Kind
    theme: Theme | None
    source: str = Field(description="computed: the log it comes from")

    @classmethod
    def of(cls, i: IndicatorDef) -> IndicatorPublic:
        return cls(
            code=i.code,
            name_zh=i.name_zh,
            name_en=i.name_en,
            unit=i.unit,
            direction=i.direction,
            aggregation=i.aggregation,
            weight=i.weight,
            periodicity=i.periodicity,
            kind=i.kind,
            theme=i.theme,
            source=i.source,
        )


class IndicatorList(BaseModel):
    data: list[IndicatorPublic]
    count: int


class ValueCreate(Strict):
    indicator: Code
    area: AreaCode
    period: PeriodText
    value: Number
    source: Annotated[str, Field(min_length=1, max_length=300, pattern=TEXT)]
    reason: Text = Field("", description="Required for a correction: why it replaces the last")


class ValuePublic(BaseModel):
    indicator: str
    area: str
    period: str
    version: int
    value: float
    source: str
    entered_by: str
    entered_at: datetime
    reason: str

    @classmethod
    def of(cls, v: ValueVersion) -> ValuePublic:
        return cls(
            indicator=v.indicator,
            area=v.area_code,
            period=v.period,
            version=v.version,
            value=v.value,
            source=v.source,
            entered_by=v.entered_by,
            entered_at=v.entered_at,
            reason=v.reason,
        )


class ValueHistory(BaseModel):
    data: list[ValuePublic] = Field(description="Every version, oldest first; the last stands")
    count: int


class StandardCreate(Strict):
    area: AreaCode
    indicator: Code
    period: PeriodText
    rule: Rule
    target: Number | None = None
    peer_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    group_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    factor: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = None
    top_percent: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] | None = None
    rate_percent: Annotated[float, Field(gt=0, lt=100, allow_inf_nan=False)] | None = None
    baseline_period: PeriodText | None = None


class StandardPublic(BaseModel):
    id: int
    area: str
    indicator: str
    period: str
    target: float
    rule: Rule
    derivation: str = Field(
        description='How the target was derived, e.g. "= 成都高新区 2022 value × 1.05"'
    )
    parent_id: int | None
    set_by: str

    @classmethod
    def of(cls, s: Standard) -> StandardPublic:
        return cls(
            id=s.id,
            area=s.area_code,
            indicator=s.indicator,
            period=s.period,
            target=s.target,
            rule=s.rule,
            derivation=s.derivation,
            parent_id=s.parent_id,
            set_by=s.set_by,
        )


class StandardList(BaseModel):
    data: list[StandardPublic]
    count: int


class CascadeCreate(Strict):
    weights: (
        dict[
            Annotated[str, Field(max_length=17, pattern=r"^\d+$")],
            Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)],
        ]
        | None
    ) = Field(None, max_length=500, description="Child area code → weight")
    base_indicator: Code | None = Field(None, description="Or split in proportion to this")
    base_period: PeriodText | None = None


class GapPublic(BaseModel):
    absolute: float = Field(description="How far the value must still move; ≤ 0 when reached")
    relative: float | None

    @classmethod
    def of(cls, gap: Gap | None) -> GapPublic | None:
        return None if gap is None else cls(absolute=gap.absolute, relative=gap.relative)


class RankPublic(BaseModel):
    rank: int
    of: int

    @classmethod
    def of_rank(cls, rank: Rank | None) -> RankPublic | None:
        return None if rank is None else cls(rank=rank.rank, of=rank.of)


class RowErrorPublic(BaseModel):
    line: int = Field(description="Line in the file; the header is line 1")
    field: str | None
    message: str


class ImportResult(BaseModel):
    stored: int
    per_row: bool
    errors: list[RowErrorPublic] = Field(description="Rows left out (per_row imports only)")

    @classmethod
    def of(cls, report: ImportReport) -> ImportResult:
        return cls(
            stored=report.stored,
            per_row=report.per_row,
            errors=[
                RowErrorPublic(line=e.line, field=e.field, message=e.message) for e in report.errors
            ],
        )


class SeriesPoint(BaseModel):
    period: str
    value: float


class SeriesPublic(BaseModel):
    indicator: str
    area: str
    data: list[SeriesPoint]
    count: int
