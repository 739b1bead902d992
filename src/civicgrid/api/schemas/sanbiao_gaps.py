"""三标 schemas: gap analysis rows and the ranking table."""

from __future__ import annotations

from pydantic import BaseModel

from civicgrid.api.schemas.areas import AreaRef
from civicgrid.api.schemas.sanbiao import GapPublic, IndicatorPublic, RankPublic, StandardPublic
from civicgrid.services.sanbiao.gaps import GapRow, RankRow


class BenchmarkRef(BaseModel):
    peer_id: int
    peer_name: str | None
    year: int
    value: float
    source: str


class GapRowPublic(BaseModel):
    indicator: IndicatorPublic
    period: str | None
    value: float | None
    standard: StandardPublic | None
    gap_to_standard: GapPublic | None
    benchmark: BenchmarkRef | None
    gap_to_benchmark: GapPublic | None
    trend: str
    slope_per_year: float | None
    rank_among_siblings: RankPublic | None

    @classmethod
    def of(cls, r: GapRow) -> GapRowPublic:
        b = r.benchmark
        return cls(
            indicator=IndicatorPublic.of(r.indicator),
            period=r.period,
            value=r.value,
            standard=StandardPublic.of(r.standard) if r.standard else None,
            gap_to_standard=GapPublic.of(r.to_standard),
            benchmark=BenchmarkRef(
                peer_id=b.peer_id,
                peer_name=r.benchmark_name,
                year=b.year,
                value=b.value,
                source=b.source,
            )
            if b
            else None,
            gap_to_benchmark=GapPublic.of(r.to_benchmark),
            trend=r.trend,
            slope_per_year=r.slope_per_year,
            rank_among_siblings=RankPublic.of_rank(r.rank),
        )


class GapAnalysis(BaseModel):
    area: AreaRef
    data: list[GapRowPublic]
    count: int


class RankRowPublic(BaseModel):
    area: AreaRef
    value: float | None
    rank: RankPublic | None
    previous_value: float | None
    previous_rank: RankPublic | None
    change: int | None

    @classmethod
    def of(cls, r: RankRow) -> RankRowPublic:
        return cls(
            area=AreaRef.of(r.area),
            value=r.value,
            rank=RankPublic.of_rank(r.rank),
            previous_value=r.previous_value,
            previous_rank=RankPublic.of_rank(r.previous_rank),
            change=r.change,
        )


class Ranking(BaseModel):
    indicator: IndicatorPublic
    period: str
    previous_period: str
    data: list[RankRowPublic]
