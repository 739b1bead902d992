"""三标 schemas: industry chains (链长制) and investment projects (双招双引)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from civicgrid.api.schemas.sanbiao import AreaCode, Name, Strict
from civicgrid.api.schemas.sanbiao_benchmarks import Id
from civicgrid.api.schemas.sanbiao_progress import Day
from civicgrid.domain.sanbiao.chains import Chain, Project, Stage, StageTotal


class ChainCreate(Strict):
    area: AreaCode
    name_zh: Name
    name_en: Name
    leader: Name
    enterprises: list[Name] = Field(default_factory=list, max_length=500)
    provenance: Annotated[str, Field(max_length=300, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""


class ChainPublic(ChainCreate):
    id: int

    @classmethod
    def of(cls, c: Chain) -> ChainPublic:
        return cls(
            id=c.id,
            area=c.area_code,
            name_zh=c.name_zh,
            name_en=c.name_en,
            leader=c.leader,
            enterprises=list(c.enterprises),
            provenance=c.provenance,
        )


class ProjectCreate(Strict):
    area: AreaCode
    chain_id: Id | None = None
    name: Name
    amount: Annotated[float, Field(ge=0, lt=1e7, allow_inf_nan=False, description="亿元")]
    stage: Stage
    stage_dates: dict[Stage, Day] = Field(description="The day each stage reached began")
    provenance: Annotated[str, Field(max_length=300, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""


class ProjectPublic(ProjectCreate):
    id: int

    @classmethod
    def of(cls, p: Project) -> ProjectPublic:
        return cls(
            id=p.id,
            area=p.area_code,
            chain_id=p.chain_id,
            name=p.name,
            amount=p.amount,
            stage=p.stage,
            stage_dates=dict(p.stage_dates),
            provenance=p.provenance,
        )


class AdvanceBody(Strict):
    stage: Stage
    on: Day


class StageTotalPublic(BaseModel):
    chain_id: int | None
    stage: Stage
    count: int
    amount: float

    @classmethod
    def of(cls, t: StageTotal) -> StageTotalPublic:
        return cls(chain_id=t.chain_id, stage=t.stage, count=t.count, amount=t.amount)


class ProjectList(BaseModel):
    data: list[ProjectPublic]
    count: int
    totals: list[StageTotalPublic] = Field(description="Count and amount by chain and stage")
