"""What the administration use cases need from storage, beyond the shared unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from civicgrid.domain.access import Grant
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.cases.categories.edits import CategoryEdit
from civicgrid.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class UserSummary:
    """A user as the administration lists them: never their password hash or tokens."""

    id: int
    username: str
    display_name: str
    active: bool
    grants: tuple[Grant, ...]


@dataclass(frozen=True, slots=True)
class CalendarDay:
    day: date
    working: bool
    note: str
    updated_by: str


@dataclass(frozen=True, slots=True)
class SavedRules:
    text: str
    saved_at: datetime
    saved_by: str


@dataclass(frozen=True, slots=True)
class StoredEdit:
    edit: CategoryEdit
    updated_at: datetime
    updated_by: str


class AdminRepository(Protocol):
    def users_within(
        self, scopes: Sequence[AreaPath], *, starting: str, limit: int
    ) -> list[UserSummary]:
        """Users holding a grant inside one of `scopes`, and users holding none, by name."""

    def user(self, username: str) -> UserSummary | None: ...

    def set_active(self, user_id: int, active: bool) -> None: ...

    def category_edits(self) -> list[StoredEdit]: ...

    def save_category_edit(self, edit: CategoryEdit, now: datetime, by: str) -> None: ...

    def drop_category_edit(self, key: str) -> bool: ...

    def clear_category_edits(self) -> None: ...

    def category_tree(self) -> SavedRules | None:
        """The latest saved whole tree (YAML); None while the file's is in force."""

    def save_category_tree(self, text: str, now: datetime, by: str) -> None: ...

    def categories_in_use(self) -> set[str]:
        """The category keys stored cases have, e.g. "event:0101"."""

    def calendar_days(self) -> list[CalendarDay]: ...

    def save_calendar_day(self, day: CalendarDay, now: datetime) -> None: ...

    def drop_calendar_day(self, day: date) -> bool: ...

    def alert_rules(self) -> SavedRules | None:
        """The latest saved rules; None while the file's are in force."""

    def save_alert_rules(self, text: str, now: datetime, by: str) -> None: ...

    def rules_version(self) -> str:
        """Changes whenever a category or calendar edit is saved or dropped."""

    def bump_rules_version(self) -> None: ...


class AdminUnitOfWork(UnitOfWork, Protocol):
    admin: AdminRepository
