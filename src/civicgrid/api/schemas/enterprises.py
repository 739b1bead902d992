"""Enterprise schemas (万人助万企): register, public view, list, history, requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from civicgrid.api.schemas.cases import TextIn
from civicgrid.domain.cases.stages import Stage
from civicgrid.domain.enterprises import Enterprise, HistoryEntry, RequestKind
from civicgrid.services.channel_ports import EnterpriseRequestView

# The USCC is checked by the domain, whose message names the failing check digit.
UsccField = Field(min_length=1, max_length=40, examples=["91350100M000100Y43"])


class EnterpriseCreate(TextIn):
    """An enterprise: placed by a point (lat, lon), an area code, or its address."""

    uscc: str = UsccField
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(default="", max_length=500)
    contact_name: str = Field(default="", max_length=100)
    contact_phone: str = Field(default="", max_length=40)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    area_code: str | None = Field(default=None, min_length=6, max_length=17, pattern=r"^\d+$")


class OfficialAssign(TextIn):
    """包联干部: the user responsible for the enterprise."""

    username: str = Field(min_length=1, max_length=64)


class EnterpriseRequestCreate(TextIn):
    kind: RequestKind
    description: str = Field(min_length=1, max_length=4000)


class EnterprisePublic(BaseModel):
    uscc: str
    name: str
    address: str
    area_code: str
    located_level: str  # the level the address or point was placed at
    lat: float | None
    lon: float | None
    contact_name: str
    contact_phone: str
    official: str | None
    registered_at: datetime

    @classmethod
    def of(cls, e: Enterprise) -> EnterprisePublic:
        lon, lat = e.location if e.location else (None, None)
        return cls(
            uscc=e.uscc,
            name=e.name,
            address=e.address,
            area_code=e.area_code,
            located_level=e.located_level.slug,
            lat=lat,
            lon=lon,
            contact_name=e.contact_name,
            contact_phone=e.contact_phone,
            official=e.official,
            registered_at=e.registered_at,
        )


class EnterpriseList(BaseModel):
    data: list[EnterprisePublic]
    count: int
    page: int
    page_size: int


class HistoryPublic(BaseModel):
    at: datetime
    actor: str
    kind: str
    kind_zh: str
    data: dict[str, Any]

    @classmethod
    def of(cls, entry: HistoryEntry) -> HistoryPublic:
        return cls(
            at=entry.at,
            actor=entry.actor,
            kind=entry.kind.value,
            kind_zh=entry.kind.name_zh,
            data=entry.data,
        )


class EnterpriseRequestPublic(BaseModel):
    case_id: int
    kind: RequestKind
    kind_zh: str
    category: str
    description: str
    submitted_by: str
    submitted_at: datetime
    stage: Stage
    stage_zh: str
    status: str
    outcome: str | None
    department: str | None  # dispatched to, once dispatched
    responsible_department: str | None  # where its category routes it
    deadline_at: datetime | None
    closed_at: datetime | None

    @classmethod
    def of(cls, r: EnterpriseRequestView) -> EnterpriseRequestPublic:
        return cls(
            case_id=r.case_id,
            kind=r.kind,
            kind_zh=r.kind.name_zh,
            category=r.category,
            description=r.description,
            submitted_by=r.submitted_by,
            submitted_at=r.submitted_at,
            stage=r.stage,
            stage_zh=r.stage.name_zh,
            status=r.status,
            outcome=r.outcome,
            department=r.department,
            responsible_department=r.responsible_department,
            deadline_at=r.deadline_at,
            closed_at=r.closed_at,
        )


class EnterpriseDetail(EnterprisePublic):
    history: list[HistoryPublic]
    requests: list[EnterpriseRequestPublic]
