"""What the use cases need from storage and indexes, as protocols the adapters implement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar

from shapely.geometry.base import BaseGeometry

from civicgrid.domain.access import Grant
from civicgrid.domain.areas import Area, AreaPath, Level
from civicgrid.domain.areas.location import Location
from civicgrid.services.attachment_ports import AttachmentRepository
from civicgrid.services.case_ports import (
    CaseDraft,
    CaseFilter,
    CaseListing,
    CaseRepository,
    Contact,
    LeaseRepository,
    Notification,
    NotificationRepository,
    Schedule,
)
from civicgrid.services.channel_ports import EnterpriseRepository, HotlineOrderRepository
from civicgrid.services.citizen_ports import CitizenRepository
from civicgrid.services.directive_ports import (
    AreaTagRepository,
    DirectiveRepository,
    LedgerRepository,
)
from civicgrid.services.report_ports import ReportRepository

__all__ = [
    "AreaRepository",
    "CaseDraft",
    "CaseFilter",
    "CaseListing",
    "CaseRepository",
    "Contact",
    "LeaseRepository",
    "Locator",
    "LocatorProvider",
    "Notification",
    "NotificationRepository",
    "Page",
    "Schedule",
    "StoredUser",
    "UnitOfWork",
    "UpsertCounts",
    "UserRepository",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    count: int


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class StoredUser:
    id: int
    username: str
    display_name: str
    password_hash: str
    active: bool


class AreaRepository(Protocol):
    def get(self, code: str, *, with_geometry: bool = True) -> Area | None:
        """By code or alias code."""

    def get_by_path(self, paths: Sequence[AreaPath]) -> list[Area]: ...

    def get_many(self, codes: Sequence[str]) -> dict[str, Area]:
        """Existing areas among `codes`, with geometry, keyed by code."""

    def children_of(self, codes: Sequence[str]) -> list[Area]:
        """Every child, with geometry, of each area in `codes`."""

    def subtree(
        self,
        root: AreaPath,
        *,
        level: Level | None,
        offset: int,
        limit: int,
        with_geometry: bool,
        include_root: bool = True,
    ) -> Page[Area]: ...

    def insert(self, areas: Sequence[Area]) -> None:
        """New areas, parents first; their parents exist already or come earlier."""

    def update(self, areas: Sequence[Area]) -> None:
        """Existing areas by code; code, parent and path do not change."""

    def level_geometries(self, level: Level) -> tuple[list[str], list[BaseGeometry]]:
        """Codes and polygons of every area at `level` that has one, ordered by code."""

    def version(self) -> str:
        """Changes whenever any area changes; spatial indexes compare it."""

    def bump_version(self) -> None: ...


class UserRepository(Protocol):
    def get_by_username(self, username: str) -> StoredUser | None: ...

    def get(self, user_id: int) -> StoredUser | None: ...

    def add(self, username: str, display_name: str, password_hash: str, now: datetime) -> int: ...

    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    def grants(self, user_id: int) -> list[Grant]: ...

    def add_grant(self, user_id: int, grant: Grant, now: datetime) -> bool:
        """False when the user holds the grant already."""

    def revoke_grant(self, user_id: int, grant: Grant) -> bool: ...

    def granted_at(self, area_code: str) -> list[tuple[StoredUser, Grant]]:
        """Active users holding a grant on exactly this area, with that grant, by username."""

    def add_token(self, user_id: int, name: str, digest: str, now: datetime) -> int: ...

    def user_id_for_token(self, digest: str) -> int | None:
        """The owner of a live (not revoked) token."""

    def token_holder(self, digest: str) -> tuple[StoredUser, list[Grant]] | None:
        """The user of the live (unrevoked) token with this digest, and their grants."""

    def revoke_token(self, user_id: int, name: str, now: datetime) -> bool: ...

    def add_session(
        self, user_id: int, digest: str, now: datetime, expires_at: datetime
    ) -> None: ...

    def session_holder(self, digest: str, now: datetime) -> tuple[StoredUser, list[Grant]] | None:
        """The user of a session that has neither ended nor expired at `now`, and their grants."""

    def end_session(self, digest: str, now: datetime) -> bool:
        """False when no live session has this digest."""

    def end_sessions_of(self, user_id: int, now: datetime) -> int:
        """Ends every live session of the user (deactivation, password change)."""


class UnitOfWork(Protocol):
    areas: AreaRepository
    users: UserRepository
    cases: CaseRepository
    notifications: NotificationRepository
    leases: LeaseRepository
    attachments: AttachmentRepository
    citizens: CitizenRepository
    enterprises: EnterpriseRepository
    hotline_orders: HotlineOrderRepository
    directives: DirectiveRepository
    tags: AreaTagRepository
    ledger: LedgerRepository
    reports: ReportRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def refresh_statistics(self) -> None:
        """Let the storage re-plan after a bulk change; runs outside any transaction."""


class Locator(Protocol):
    @property
    def version(self) -> str: ...

    def locate(self, lon: float, lat: float, snap_tolerance_m: float) -> Location: ...


class LocatorProvider(Protocol):
    def current(self, uow: UnitOfWork) -> Locator:
        """A locator consistent with the areas as the unit of work sees them."""
