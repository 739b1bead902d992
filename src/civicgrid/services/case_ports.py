"""What the case use cases need from storage."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from civicgrid.domain.areas import AreaPath
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.categories import CategoryTree
from civicgrid.domain.cases.duplicates import Candidate
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.sla import Light
from civicgrid.domain.cases.stages import Source, Stage, Urgency

if TYPE_CHECKING:
    from civicgrid.services.ports import Page


@dataclass(frozen=True, slots=True)
class CaseDraft:
    """What is known of a case before its first event exists."""

    category: str
    source: Source
    urgency: Urgency
    area_code: str
    area_path: AreaPath
    description: str
    reported_at: datetime
    location: tuple[float, float] | None


@dataclass(frozen=True, slots=True)
class Contact:
    """A reporter's personal data; never on a public page, staff see it in their subtree."""

    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class CaseFilter:
    within: AreaPath | None = None
    status: str | None = None
    stage: Stage | None = None
    category: str | None = None
    source: Source | None = None
    reported_from: datetime | None = None
    reported_to: datetime | None = None
    overdue_at: datetime | None = None  # deadline at or before this instant
    department: str | None = None  # dispatched to this department


@dataclass(frozen=True, slots=True)
class CaseListing:
    id: int
    category: str
    source: str
    urgency: str
    stage: Stage
    status: str
    outcome: str | None
    area_code: str
    area_path: AreaPath
    department: str | None
    description: str
    location: tuple[float, float] | None
    reported_at: datetime
    stage_entered_at: datetime
    deadline_at: datetime | None
    warning_at: datetime | None
    escalation_level: int
    closed_at: datetime | None

    def light_at(self, now: datetime) -> Light | None:
        return light_between(self.warning_at, self.deadline_at, now)


def light_between(
    warning_at: datetime | None, deadline_at: datetime | None, now: datetime
) -> Light | None:
    """The traffic light from the stored instants; None when no clock runs."""
    if deadline_at is None:
        return None
    if now > deadline_at:
        return Light.OVERDUE
    if warning_at is not None and now >= warning_at:
        return Light.WARNING
    return Light.NORMAL


@dataclass(frozen=True, slots=True)
class AreaCaseCount:
    """Open cases under one area (by path) and how many of them show red or yellow."""

    path: AreaPath
    open: int
    overdue: int
    warning: int


@dataclass(frozen=True, slots=True)
class CasePoint:
    """An open case as a marker on the staff map."""

    id: int
    lon: float
    lat: float
    category: str
    stage: str
    warning_at: datetime | None
    deadline_at: datetime | None


@dataclass(frozen=True, slots=True)
class Notification:
    id: int
    area_path: AreaPath
    case_id: int | None
    kind: str
    urgent: bool
    message: str
    created_at: datetime
    read: bool = False


@dataclass(frozen=True, slots=True)
class Schedule:
    deadline_at: datetime | None  # the current stage's limit runs out
    warning_at: datetime | None  # the light turns yellow
    next_check_at: datetime | None  # the scheduler looks again (next escalation threshold)


@dataclass(frozen=True, slots=True)
class NewCase:
    """A case opened in memory, to be stored whole: its state, its events, its key."""

    case: Case
    events: tuple[CaseEvent, ...]  # the report, and the duplicate note if any
    schedule: Schedule
    idempotency_key: str | None


@dataclass(frozen=True, slots=True)
class NotificationDraft:
    """One message to one or more areas, not yet stored."""

    area_paths: tuple[AreaPath, ...]
    case_id: int | None
    kind: str
    urgent: bool
    message: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LogMark:
    """Where the case log stands; it only grows, so a different mark means new events."""

    last_event_id: int  # 0 for an empty log
    events: int
    latest_at: datetime | None  # the latest instant any event carries


class CaseRepository(Protocol):
    def open_case(self, draft: CaseDraft, *, idempotency_key: str | None) -> int: ...

    def reserve_ids(self, count: int) -> list[int]:
        """`count` case ids no other transaction will use, in increasing order."""
        ...

    def insert_new(self, cases: Sequence[NewCase]) -> None:
        """Store cases opened in memory under reserved ids, in a few statements."""

    def append(self, case: Case, event: CaseEvent, schedule: Schedule) -> None: ...

    def events(self, case_id: int) -> list[CaseEvent]: ...

    def get(self, case_id: int) -> Case | None: ...

    def find_by_idempotency_key(self, key: str) -> int | None: ...

    def find_by_idempotency_keys(self, keys: Collection[str]) -> dict[str, int]:
        """The cases of those of `keys` that have one; one read for many."""
        ...

    def listing(
        self, scopes: Sequence[AreaPath], where: CaseFilter, *, offset: int, limit: int
    ) -> Page[CaseListing]: ...

    def recount(self) -> int:
        """Rebuild the per-subtree case counters from the cases; how many were wrong."""

    def due_for_tick(self, now: datetime, limit: int) -> list[int]: ...

    def iter_events(self, batch: int = 5000) -> Iterator[list[CaseEvent]]: ...

    def iter_events_within(
        self, path: AreaPath, batch: int = 5000
    ) -> Iterator[list[CaseEvent]]: ...

    def log_mark(self) -> LogMark: ...

    def cases_merged_into(self, case_id: int) -> list[int]:
        """The cases closed as duplicates of `case_id`, in id order."""

    def iter_events_changed_since(
        self, event_id: int, batch: int = 5000
    ) -> Iterator[list[CaseEvent]]: ...

    def candidates_near(
        self,
        category: str,
        bbox: tuple[float, float, float, float],
        since: datetime,
        until: datetime,
        exclude_id: int,
    ) -> list[Candidate]:
        """Open cases of `category` located in `bbox` (min lon, min lat, max lon, max
        lat) and reported in [since, until], other than `exclude_id`; a prefilter."""

    def count_open_by_area(
        self, scopes: Sequence[AreaPath], *, within: AreaPath, path_length: int, now: datetime
    ) -> list[AreaCaseCount]:
        """Open cases under `within` grouped by the area whose path is the first
        `path_length` characters of theirs (one depth of the hierarchy), lights at `now`."""

    def open_points(
        self,
        scopes: Sequence[AreaPath],
        bbox: tuple[float, float, float, float],
        *,
        limit: int,
    ) -> list[CasePoint]:
        """The newest `limit` open cases located in `bbox` (min lon, min lat, max lon, max lat)."""

    def open_density(
        self, scopes: Sequence[AreaPath], bbox: tuple[float, float, float, float], *, cell: float
    ) -> list[tuple[float, float, int]]:
        """Open cases in `bbox` per square cell of `cell` degrees: (lon, lat, count)."""

    def save_contact(self, case_id: int, contact: Contact) -> None: ...

    def contact(self, case_id: int) -> Contact | None: ...


class NotificationRepository(Protocol):
    def add(
        self,
        area_paths: Sequence[AreaPath],
        *,
        case_id: int | None,
        kind: str,
        urgent: bool,
        message: str,
        now: datetime,
    ) -> list[int]: ...

    def add_all(self, drafts: Sequence[NotificationDraft]) -> None:
        """Store many messages in one statement."""

    def inbox(
        self, user_id: int, area_paths: Sequence[AreaPath], *, offset: int, limit: int
    ) -> Page[Notification]: ...

    def get(self, notification_id: int) -> Notification | None: ...

    def mark_read(self, user_id: int, notification_id: int, now: datetime) -> bool: ...


class LeaseRepository(Protocol):
    def try_acquire(self, name: str, holder: str, ttl_seconds: float) -> bool:
        """Take or renew the lease for `ttl_seconds` of the database's clock; False when
        another holder's lease is still live by that clock."""


@dataclass(frozen=True, slots=True)
class CategoryFacts:
    """What intake needs to know of a category."""

    code: str
    name_zh: str
    name_en: str
    department: str
    urgency: Urgency
    duplicate_radius_m: int
    duplicate_window_h: int


class CaseRules(Protocol):
    """Category data and the working calendar, as the case use cases see them."""

    def category(self, code: str, *, on: datetime) -> CategoryFacts:
        """Raises NotFound naming the unknown code."""

    def stage_deadline(self, case: Case, share: float = 1.0) -> datetime | None:
        """When `share` of the current stage's limit is used (1.0: the deadline); None
        when the stage has no limit (closed, on hold)."""

    def elapsed_fraction(self, case: Case, now: datetime) -> float | None:
        """Working time used of the current stage's limit, 1.0 at the deadline."""

    @property
    def tree(self) -> CategoryTree:
        """The whole category tree: public channels list it as their services."""
