"""Case schemas: create, public view with timeline, list, and per-action bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.sla import Light
from civicgrid.domain.cases.stages import Outcome, Source, Stage, Urgency
from civicgrid.services.case_ports import CaseListing


class TextIn(BaseModel):
    """Input whose text fields may hold any character but NUL, which no database stores."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("text cannot contain the NUL character")
        return value


AttachmentIds = list[Annotated[str, Field(max_length=32)]]


class ContactIn(TextIn):
    name: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)


class CaseCreate(TextIn):
    """A report: a point (lat, lon) or an area code, a category and a description."""

    category: str = Field(
        min_length=1, max_length=20, pattern=r"^[a-z]+:\d+$", examples=["event:0101"]
    )
    description: str = Field(min_length=1, max_length=4000)
    source: Source = Source.GRID_WORKER
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    area_code: str | None = Field(default=None, min_length=6, max_length=17, pattern=r"^\d+$")
    urgency: Urgency | None = None
    contact: ContactIn | None = None
    attachments: AttachmentIds = Field(
        default_factory=list, max_length=20, description="Ids from POST /api/v1/attachments"
    )


class EventPublic(BaseModel):
    seq: int
    type: str
    at: datetime
    actor: str
    position: str
    from_stage: Stage | None
    to_stage: Stage | None
    reason: str
    data: dict[str, Any]
    attachments: list[str]
    hash: str

    @classmethod
    def of(cls, event: CaseEvent) -> EventPublic:
        return cls(
            seq=event.seq,
            type=event.type.value,
            at=event.at,
            actor=event.actor,
            position=event.position.value,
            from_stage=event.from_stage,
            to_stage=event.to_stage,
            reason=event.reason,
            data={k: v for k, v in event.data.items() if k != "reporter_ref"},
            attachments=list(event.attachments),
            hash=event.hash,
        )


class CaseSummary(BaseModel):
    id: int
    category: str
    source: str
    urgency: str
    stage: Stage
    stage_zh: str
    status: str
    outcome: str | None
    area_code: str
    department: str | None
    description: str
    lat: float | None
    lon: float | None
    reported_at: datetime
    deadline_at: datetime | None
    light: Light | None
    escalation_level: int

    @classmethod
    def of(cls, item: CaseListing, light: Light | None) -> CaseSummary:
        return cls(
            **_shared_facts(item),
            status=item.status,
            deadline_at=item.deadline_at,
            light=light,
        )


def _shared_facts(case: CaseListing | Case) -> dict[str, Any]:
    """The fields a case's summary and its detail both take from it as they are."""
    lon, lat = case.location if case.location else (None, None)
    return {
        "id": case.id,
        "category": case.category,
        "source": case.source,
        "urgency": case.urgency,
        "stage": case.stage,
        "stage_zh": case.stage.name_zh,
        "outcome": case.outcome,
        "area_code": case.area_code,
        "department": case.department,
        "description": case.description,
        "lat": lat,
        "lon": lon,
        "reported_at": case.reported_at,
        "escalation_level": case.escalation_level,
    }


class CaseDetail(BaseModel):
    id: int
    category: str
    source: Source
    urgency: Urgency
    stage: Stage
    stage_zh: str
    status: str
    outcome: Outcome | None
    area_code: str
    department: str | None
    description: str
    result: str
    lat: float | None
    lon: float | None
    reported_at: datetime
    stage_entered_at: datetime
    deadline_at: datetime | None
    light: Light | None
    escalation_level: int
    rework_count: int
    reopen_count: int
    rating: int | None
    merged_into: int | None
    suspected_duplicates: list[int] = Field(
        description="Cases this one may repeat: open, of its category, near and recent when "
        "it was reported; nearest first"
    )
    allowed_actions: list[str] = Field(description="What the caller may do now")
    contact: ContactIn | None = Field(description="Reporter's contact; staff in the subtree only")
    timeline: list[EventPublic]

    @classmethod
    def of(
        cls,
        case: Case,
        events: list[CaseEvent],
        *,
        deadline_at: datetime | None,
        light: Light | None,
        allowed: list[str],
        contact: ContactIn | None,
        suspected_duplicates: list[int],
    ) -> CaseDetail:
        return cls(
            **_shared_facts(case),
            status=case.status.value,
            result=case.result,
            stage_entered_at=case.stage_entered_at,
            deadline_at=deadline_at,
            light=light,
            rework_count=case.rework_count,
            reopen_count=case.reopen_count,
            rating=case.rating,
            merged_into=case.merged_into,
            suspected_duplicates=suspected_duplicates,
            allowed_actions=allowed,
            contact=contact,
            timeline=[EventPublic.of(e) for e in events],
        )


class CaseList(BaseModel):
    data: list[CaseSummary]
    count: int
    page: int
    page_size: int


class _Body(TextIn):
    pass


class EmptyBody(_Body):
    pass


class _WithAttachments(_Body):
    """An action that may carry photos or documents: they show on its timeline event."""

    attachments: AttachmentIds = Field(
        default_factory=list, max_length=20, description="Ids from POST /api/v1/attachments"
    )


OptionalText = Annotated[str, Field(max_length=2000)]  # a note an action may carry: "" if none


class OptionalReasonBody(_Body):
    reason: OptionalText = ""


class NoteBody(_Body):
    note: OptionalText = ""


class ReasonBody(_Body):
    reason: str = Field(min_length=1, max_length=2000)


class CheckBody(_WithAttachments):
    passed: bool
    reason: OptionalText = ""


class DispatchBody(_Body):
    department: str = Field(min_length=1, max_length=40)
    note: OptionalText = ""


class HandleBody(_WithAttachments):
    result: str = Field(min_length=1, max_length=4000)


class VerifyBody(_WithAttachments):
    passed: bool
    note: OptionalText = ""


class CloseBody(_Body):
    outcome: Literal["fixed", "closed_not_fixed"]
    reason: OptionalText = ""


class RateBody(_Body):
    score: int = Field(ge=1, le=5)
    comment: OptionalText = ""


class ExtensionBody(_Body):
    working_hours: float = Field(gt=0, le=2000)
    reason: str = Field(min_length=1, max_length=2000)


class DecisionBody(_Body):
    approved: bool
    reason: OptionalText = ""


class MergeBody(_Body):
    into: int = Field(ge=1)
    reason: OptionalText = ""


class NoteTextBody(_WithAttachments):
    text: str = Field(default="", max_length=4000, description="Needed unless attachments")
