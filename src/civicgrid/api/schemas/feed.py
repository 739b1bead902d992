"""Inbox and live-feed schemas."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from civicgrid.domain.areas.area import AreaPath, path_codes
from civicgrid.services.feed import FeedEvent
from civicgrid.services.ports import Notification


class NotificationPublic(BaseModel):
    id: int
    area_code: str  # the area it is addressed to
    case_id: int | None
    kind: str
    urgent: bool
    message: str
    created_at: datetime
    read: bool

    @classmethod
    def of(cls, item: Notification) -> NotificationPublic:
        return cls(
            id=item.id,
            area_code=_code_of(item.area_path),
            case_id=item.case_id,
            kind=item.kind,
            urgent=item.urgent,
            message=item.message,
            created_at=item.created_at,
            read=item.read,
        )


class NotificationList(BaseModel):
    data: list[NotificationPublic]
    count: int
    page: int
    page_size: int


class FeedEventPublic(BaseModel):
    """The `data` of one server-sent event."""

    kind: str
    case_id: int | None
    area_code: str  # where it happened
    urgent: bool
    at: datetime
    summary: str

    @classmethod
    def of(cls, event: FeedEvent) -> FeedEventPublic:
        return cls(
            kind=event.kind,
            case_id=event.case_id,
            area_code=_code_of(event.area_path),
            urgent=event.urgent,
            at=event.at,
            summary=event.summary,
        )


def _code_of(path: AreaPath) -> str:
    codes = path_codes(path)
    return codes[-1] if codes else ""
