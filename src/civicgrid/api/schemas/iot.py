"""Schemas of the IoT routes: ingestion answers, sensors, alerts, comments, silences."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from civicgrid.domain.alerts import AlertEvent, Severity, Silence
from civicgrid.domain.alerts.video import Detection
from civicgrid.domain.sensors import Sensor
from civicgrid.services.alerts_video import DetectionOutcome
from civicgrid.services.ingest import IngestResult
from civicgrid.services.sensor_ports import AlertComment, StoredAlert


class RejectedRow(BaseModel):
    row: int = Field(description="0-based position of the reading in the request")
    reason: str


class AlertChange(BaseModel):
    kind: str = Field(description="fire, escalate, clear, flapping_start or flapping_end")
    sensor: str
    rule: str
    severity: str | None
    at: datetime
    silenced: bool

    @classmethod
    def of(cls, event: AlertEvent) -> AlertChange:
        return cls(
            kind=event.kind.label,
            sensor=event.sensor_id,
            rule=event.rule_id,
            severity=event.severity.name_en if event.severity else None,
            at=event.at,
            silenced=event.silenced,
        )


class IngestAnswer(BaseModel):
    accepted: int = Field(description="Stored; includes late readings")
    late: int = Field(description="Stored, but too late to be evaluated by the rules")
    duplicates: list[int] = Field(description="Rows already stored or repeated in the request")
    rejected: list[RejectedRow]
    alerts: list[AlertChange]

    @classmethod
    def of(cls, result: IngestResult) -> IngestAnswer:
        return cls(
            accepted=result.accepted,
            late=result.late,
            duplicates=result.duplicates,
            rejected=[RejectedRow(row=r, reason=why) for r, why in result.rejected],
            alerts=[AlertChange.of(e) for e in result.events],
        )


class SensorPublic(BaseModel):
    id: str
    type: str
    type_zh: str
    type_en: str
    name: str
    lon: float
    lat: float
    area_code: str = Field(description="The micro-grid, fixed at registration")
    department: str
    gateway: str | None
    attributes: dict[str, float]
    synthetic: bool
    registered_at: datetime
    retired_at: datetime | None

    @classmethod
    def of(cls, s: Sensor) -> SensorPublic:
        facts = s.type.facts
        return cls(
            id=s.id,
            type=s.type.value,
            type_zh=facts.name_zh,
            type_en=facts.name_en,
            name=s.name,
            lon=s.lon,
            lat=s.lat,
            area_code=s.area_code,
            department=s.department,
            gateway=s.gateway,
            attributes=dict(s.attributes),
            synthetic=s.synthetic,
            registered_at=s.registered_at,
            retired_at=s.retired_at,
        )


class SensorList(BaseModel):
    data: list[SensorPublic]
    count: int


class AlertPublic(BaseModel):
    id: int
    sensor_id: str
    rule_id: str
    category: str
    area_code: str
    severity: str
    severity_zh: str
    active: bool
    acknowledged: bool
    flapping: bool
    silenced: bool
    fired_at: datetime
    cleared_at: datetime | None
    last_value: float | None
    hits: int
    fires: int
    acknowledged_by: str | None
    assignee: str | None
    case_id: int | None
    evidence: dict[str, Any]

    @classmethod
    def of(cls, a: StoredAlert) -> AlertPublic:
        level = Severity(a.severity)
        return cls(
            id=a.id,
            sensor_id=a.sensor_id,
            rule_id=a.rule_id,
            category=a.category,
            area_code=a.area_code,
            severity=level.name_en,
            severity_zh=level.name_zh,
            active=a.active,
            acknowledged=a.acknowledged_at is not None,
            flapping=a.flapping,
            silenced=a.silenced,
            fired_at=a.fired_at,
            cleared_at=a.cleared_at,
            last_value=a.last_value,
            hits=a.hits,
            fires=a.fires,
            acknowledged_by=a.acknowledged_by,
            assignee=a.assignee,
            case_id=a.case_id,
            evidence=a.evidence,
        )


class AlertList(BaseModel):
    data: list[AlertPublic]
    count: int


class AssignAlert(BaseModel):
    assignee: str | None = Field(
        default=None, max_length=64, description="A username; null unassigns"
    )


class CommentCreate(BaseModel):
    body: str = Field(min_length=1, max_length=2000)


class CommentPublic(BaseModel):
    author: str
    body: str
    at: datetime

    @classmethod
    def of(cls, c: AlertComment) -> CommentPublic:
        return cls(author=c.author, body=c.body, at=c.at)


class SilenceCreate(BaseModel):
    sensor_id: str | None = Field(default=None, max_length=64)
    sensor_type: str | None = Field(default=None, max_length=32)
    area_path: str | None = Field(
        default=None, max_length=160, description="A subtree, e.g. /410100/410102/"
    )
    rule_id: str | None = Field(default=None, max_length=64)
    starts_at: datetime
    ends_at: datetime
    comment: str = Field(default="", max_length=500)

    def to_silence(self) -> Silence:
        return Silence(
            id=0,
            starts_s=_aware(self.starts_at).timestamp(),
            ends_s=_aware(self.ends_at).timestamp(),
            sensor_id=self.sensor_id,
            sensor_type=self.sensor_type,
            area_path=self.area_path,
            rule_id=self.rule_id,
            comment=self.comment,
        )


class SilencePublic(BaseModel):
    id: int
    sensor_id: str | None
    sensor_type: str | None
    area_path: str | None
    rule_id: str | None
    starts_at: datetime
    ends_at: datetime
    comment: str

    @classmethod
    def of(cls, s: Silence) -> SilencePublic:
        return cls(
            id=s.id,
            sensor_id=s.sensor_id,
            sensor_type=s.sensor_type,
            area_path=s.area_path,
            rule_id=s.rule_id,
            starts_at=datetime.fromtimestamp(s.starts_s, UTC),
            ends_at=datetime.fromtimestamp(s.ends_s, UTC),
            comment=s.comment,
        )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class DetectionCreate(BaseModel):
    camera: str = Field(min_length=1, max_length=64)
    event_type: str = Field(
        min_length=1,
        max_length=64,
        description="e.g. illegal_parking, garbage_overflow, crowd, fire",
    )
    confidence: float = Field(ge=0, le=1)
    snapshot_url: str = Field(default="", max_length=500)
    at: AwareDatetime

    def to_detection(self) -> Detection:
        return Detection(self.camera, self.event_type, self.confidence, self.at, self.snapshot_url)


class DetectionAnswer(BaseModel):
    row: int
    outcome: str = Field(description="new, repeat, low_confidence, unknown_type or rejected")
    alert_id: int | None
    reason: str

    @classmethod
    def of(cls, row: int, o: DetectionOutcome) -> DetectionAnswer:
        outcome = o.verdict.value if o.verdict is not None else "rejected"
        return cls(row=row, outcome=outcome, alert_id=o.alert_id, reason=o.reason)
