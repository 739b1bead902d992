"""What the citizen and Open311 use cases need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from civicgrid.domain.areas import AreaPath
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.citizens.requests_query import RequestQuery


@dataclass(frozen=True, slots=True)
class CitizenRecord:
    """What a public channel keeps beside its case (no personal data: see Contact)."""

    case_id: int
    channel: str
    tracking_digest: str
    created_at: datetime
    api_key_id: int | None = None
    address_string: str = ""
    address_id: str = ""
    media_url: str = ""
    device_id: str = ""
    account_id: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class QueuedRequest:
    token: str
    api_key_id: int
    form: dict[str, Any]
    status: str  # queued, accepted, rejected
    created_at: datetime
    case_id: int | None = None
    reason: str = ""
    decided_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PublicListing:
    """A case as any member of the public may see it in a listing."""

    id: int
    category: str
    status: str
    stage: str
    outcome: str | None
    department: str | None
    description: str
    area_path: AreaPath
    location: tuple[float, float] | None  # (lon, lat)
    reported_at: datetime
    updated_at: datetime  # the latest event
    deadline_at: datetime | None


# A listing row as plain values, in this order: id, category, status, stage, department,
# description, area_path, lon, lat; the report, latest event and deadline times as W3C
# text (format_w3c's); the citizen record's address_string and media_url (None without
# one). Thousands are read at once, so no object per row.
PublicRow = tuple[
    int, str, str, str, str | None, str, str, float | None, float | None, str, str, str | None,
    str | None, str | None,
]  # fmt: skip


class CitizenRepository(Protocol):
    def add_record(self, record: CitizenRecord) -> None: ...

    def case_for_code(self, digest: str) -> int | None: ...

    def records(self, case_ids: Sequence[int]) -> dict[int, CitizenRecord]: ...

    def add_api_key(self, name: str, digest: str, now: datetime) -> int: ...

    def api_key_for(self, digest: str) -> ApiKey | None:
        """The live (not revoked) key with this digest."""

    def api_keys(self) -> list[ApiKey]: ...

    def revoke_api_key(self, name: str, now: datetime) -> bool: ...

    def enqueue(self, queued: QueuedRequest) -> None: ...

    def queued(self, token: str) -> QueuedRequest | None: ...

    def queue(self, status: str | None, limit: int) -> list[QueuedRequest]: ...

    def decide(
        self, token: str, status: str, case_id: int | None, reason: str, now: datetime
    ) -> None: ...

    def public_page(self, query: RequestQuery) -> list[PublicListing]:
        """Cases matching `query`, newest report first, the query's page of them."""

    def public_rows(self, query: RequestQuery) -> list[PublicRow]:
        """public_page's cases as PublicRow values."""

    def closing_events(self, case_ids: Sequence[int]) -> dict[int, CaseEvent]:
        """For each case, its latest close, void or merge event, if any."""

    def area_names(self, paths: Sequence[AreaPath]) -> dict[AreaPath, tuple[str, str]]:
        """(name_zh, name_en) of each existing area among `paths`."""

    def events_of(self, case_ids: Sequence[int]) -> dict[int, list[CaseEvent]]:
        """Each case's events in order (cases without events are absent)."""

    def events_between(self, since: datetime, until: datetime, limit: int) -> list[CaseEvent]:
        """Events in [since, until), oldest first."""
