"""A directive (指令), its targets and the receipts (回执) of the units it reached."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.forms import Form


class Priority(StrEnum):
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"  # 特急


class Status(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


class ReceiptState(IntEnum):
    """Stored as a small integer: roll-ups group on it across tens of thousands of rows."""

    PENDING = 0  # not signed yet
    SIGNED = 1  # 签收
    IN_PROGRESS = 2
    DONE = 3  # feedback submitted
    REWORK = 4  # sent back by the issuer; counts as in progress

    @property
    def slug(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Selection:
    """Which units a directive reaches, inside `within` (the issuer's area by default).

    Filters combine: a level, tags every target must carry, an explicit list of codes.
    """

    within: str | None = None  # an area code
    level: Level | None = None
    tags: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "within": self.within,
            "level": self.level.slug if self.level else None,
            "tags": list(self.tags),
            "codes": list(self.codes),
        }


@dataclass(frozen=True, slots=True)
class Content:
    """What a revision may change."""

    title_zh: str
    body_zh: str
    title_en: str = ""
    body_en: str = ""
    priority: Priority = Priority.NORMAL
    sign_deadline_at: datetime | None = None
    complete_deadline_at: datetime | None = None
    form: Form = ()
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Directive:
    id: int
    issuer_path: AreaPath
    issued_by: str
    issued_at: datetime
    content: Content
    selection: Selection
    target_count: int
    version: int = 1
    material_version: int = 1  # receipts signed before this version must sign again
    status: Status = Status.ACTIVE
    revoked_at: datetime | None = None

    @property
    def issuer_code(self) -> str:
        return self.issuer_path.rstrip("/").rsplit("/", 1)[-1]

    @property
    def active(self) -> bool:
        return self.status is Status.ACTIVE


@dataclass(frozen=True, slots=True)
class Receipt:
    id: int
    directive_id: int
    area_path: AreaPath
    level: Level
    state: ReceiptState = ReceiptState.PENDING
    signed_version: int = 0
    signed_at: datetime | None = None
    progress: int | None = None  # percent
    note: str = ""
    feedback: dict[str, Any] = field(default_factory=dict)
    done_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def area_code(self) -> str:
        return self.area_path.rstrip("/").rsplit("/", 1)[-1]
