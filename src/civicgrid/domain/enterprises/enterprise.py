"""An enterprise of the registry (万人助万企), where it is, and its history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.errors import InvalidInput

MAX_NAME = 200
MAX_ADDRESS = 500


@dataclass(frozen=True, slots=True)
class EnterpriseDraft:
    """What a registration says; where it lies is found from the address or point."""

    uscc: str
    name: str
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    lat: float | None = None
    lon: float | None = None
    area_code: str | None = None


@dataclass(frozen=True, slots=True)
class Enterprise:
    id: int
    uscc: str
    name: str
    address: str
    area_code: str
    area_path: AreaPath
    located_level: Level  # how far down the address or point was placed
    contact_name: str
    contact_phone: str
    official: str | None  # 包联干部: the username of the responsible official
    registered_at: datetime
    location: tuple[float, float] | None = None  # (lon, lat)


class HistoryKind(StrEnum):
    REGISTERED = "registered"
    OFFICIAL_ASSIGNED = "official_assigned"
    REQUEST_SUBMITTED = "request_submitted"

    @property
    def name_zh(self) -> str:
        return _HISTORY_ZH[self]


_HISTORY_ZH = {
    HistoryKind.REGISTERED: "企业登记",
    HistoryKind.OFFICIAL_ASSIGNED: "指定包联干部",
    HistoryKind.REQUEST_SUBMITTED: "提交诉求",
}


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    actor: str
    kind: HistoryKind
    data: dict[str, Any] = field(default_factory=dict)


def check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("an enterprise needs a name", field="name")
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(f"name has {len(cleaned)} characters; at most {MAX_NAME}", field="name")
    return cleaned


def check_text(value: str, field_name: str, limit: int) -> str:
    cleaned = " ".join(value.split())
    if len(cleaned) > limit:
        raise InvalidInput(
            f"{field_name} has {len(cleaned)} characters; at most {limit}", field=field_name
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in cleaned):
        raise InvalidInput(f"{field_name} holds a control character", field=field_name)
    return cleaned
