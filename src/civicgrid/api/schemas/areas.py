"""Area schemas."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from civicgrid.domain.areas import Area
from civicgrid.services.ports import Page


class AreaRef(BaseModel):
    code: str
    level: str
    name_zh: str
    name_en: str

    @classmethod
    def of(cls, area: Area) -> AreaRef:
        return cls(
            code=area.code, level=area.level.slug, name_zh=area.name_zh, name_en=area.name_en
        )


class AreaPublic(AreaRef):
    level_zh: str
    parent_code: str | None
    households: int | None
    synthetic: bool = Field(description="True when the polygon was generated, not surveyed")
    geometry_source: str
    aliases: list[str]
    bbox: list[float] | None = Field(description="[min_lon, min_lat, max_lon, max_lat]")

    @classmethod
    def of(cls, area: Area) -> AreaPublic:
        geometry = area.geometry
        return cls(
            code=area.code,
            level=area.level.slug,
            level_zh=area.level.name_zh,
            name_zh=area.name_zh,
            name_en=area.name_en,
            parent_code=area.parent_code,
            households=area.households,
            synthetic=area.synthetic,
            geometry_source=area.source,
            aliases=list(area.aliases),
            bbox=[round(v, 7) for v in geometry.bounds] if geometry is not None else None,
        )


class AreaDetail(AreaPublic):
    ancestors: list[AreaRef]


class AreaList(BaseModel):
    data: list[AreaPublic]
    count: int
    page: int
    page_size: int

    @classmethod
    def of(cls, found: Page[Area], page: int, page_size: int) -> AreaList:
        return cls(
            data=[AreaPublic.of(a) for a in found.items],
            count=found.count,
            page=page,
            page_size=page_size,
        )


class AreaUpdate(BaseModel):
    """Fields left out are not changed."""

    model_config = ConfigDict(extra="forbid")

    name_zh: str | None = Field(default=None, min_length=1, max_length=200)
    name_en: str | None = Field(default=None, min_length=1, max_length=300)
    households: int | None = Field(default=None, ge=0, le=10_000_000)


class LocateResult(BaseModel):
    status: Literal["inside", "snapped", "outside"]
    distance_m: float | None = Field(
        description="0 inside; distance to the micro-grid when snapped; null outside"
    )
    micro_grid: AreaRef | None
    chain: list[AreaRef] = Field(description="From the city down to the micro-grid")
