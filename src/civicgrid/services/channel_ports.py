"""What the hotline import and the enterprise registry need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.cases.stages import Stage
from civicgrid.domain.enterprises import Enterprise, HistoryEntry, RequestKind

if TYPE_CHECKING:
    from civicgrid.services.ports import Page


@dataclass(frozen=True, slots=True)
class HotlineRecord:
    """A 12345 order that became a case; the order id is unique across imports."""

    order_id: str
    case_id: int
    located_level: Level
    received_at: datetime | None
    imported_at: datetime
    source_file: str


@dataclass(frozen=True, slots=True)
class EnterpriseRequestView:
    """A request with the current state of its case."""

    case_id: int
    kind: RequestKind
    category: str
    description: str
    submitted_by: str
    submitted_at: datetime
    stage: Stage
    status: str
    outcome: str | None
    department: str | None
    deadline_at: datetime | None
    closed_at: datetime | None
    responsible_department: str | None = None  # the category's, where dispatch sends it


@dataclass(frozen=True, slots=True)
class ImportedOrder:
    """Where an order imported before went."""

    case_id: int
    area_code: str
    located_level: Level


class HotlineOrderRepository(Protocol):
    def find(self, order_id: str) -> ImportedOrder | None:
        """The case an order became, if it was imported before."""

    def record(self, record: HotlineRecord) -> None: ...


class EnterpriseRepository(Protocol):
    def add(self, enterprise: Enterprise) -> int:
        """Stores a new enterprise (its id is ignored) and returns the id given."""

    def get(self, uscc: str) -> Enterprise | None: ...

    def listing(
        self,
        scopes: Sequence[AreaPath],
        *,
        within: AreaPath | None,
        name: str | None,
        offset: int,
        limit: int,
    ) -> Page[Enterprise]: ...

    def set_official(self, enterprise_id: int, user_id: int) -> None: ...

    def add_history(self, enterprise_id: int, entry: HistoryEntry) -> None: ...

    def history(self, enterprise_id: int) -> list[HistoryEntry]: ...

    def link_request(
        self, enterprise_id: int, case_id: int, kind: RequestKind, submitted_by: str, at: datetime
    ) -> bool:
        """False when the case is linked already (a retried request)."""

    def requests(self, enterprise_id: int) -> list[EnterpriseRequestView]: ...
