"""What the directive and report use cases need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.directives import Content, Counts, Directive, Receipt, ReceiptState, Selection
from civicgrid.domain.ledger import LedgerEntry

if TYPE_CHECKING:
    from civicgrid.services.ports import Page


@dataclass(frozen=True, slots=True)
class Targets:
    """A resolved selection: areas strictly below `within`, filtered."""

    within: AreaPath
    level: Level | None = None
    tags: tuple[str, ...] = ()
    paths: tuple[AreaPath, ...] = ()  # an explicit list, already checked to lie below


@dataclass(frozen=True, slots=True)
class NewDirective:
    issuer_path: AreaPath
    issued_by: str
    issued_at: datetime
    content: Content
    selection: Selection


@dataclass(frozen=True, slots=True)
class Version:
    version: int
    at: datetime
    actor: str
    material: bool
    changes: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChildArea:
    path: AreaPath
    code: str
    level: Level
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Rollup:
    own: Counts
    children: list[tuple[ChildArea, Counts]]


@dataclass(frozen=True, slots=True)
class ReceiptFilter:
    within: AreaPath
    states: tuple[ReceiptState, ...] = ()
    unsigned: bool = False  # not signed at the directive's current material version


@dataclass(frozen=True, slots=True)
class DeadlineReceipt:
    """One receipt against one of its directive's deadlines, as stored: for the 三标
    on-time rates, recomputed from these timestamps only."""

    area_path: AreaPath
    deadline: datetime
    answered_at: datetime | None  # signed_at for the sign deadline, done_at for completion
    issued_at: datetime
    revoked_at: datetime | None


class DirectiveRepository(Protocol):
    def deadline_receipts(
        self, root: AreaPath, deadline: Literal["sign", "complete"], start: datetime, end: datetime
    ) -> list[DeadlineReceipt]:
        """Receipts in the subtree at `root` whose directive's `deadline` lies in
        [start, end); read-only."""

    def count_targets(self, targets: Targets) -> dict[Level, int]: ...

    def add(self, new: NewDirective) -> int: ...

    def fan_out(self, directive_id: int, targets: Targets) -> int:
        """One receipt per target, set-based, in the caller's transaction; the count."""

    def notify_receipts(
        self,
        directive_id: int,
        *,
        kind: str,
        urgent: bool,
        message: str,
        now: datetime,
        only: ReceiptFilter | None = None,
        material_version: int = 1,
        count: bool = True,
    ) -> int:
        """One inbox notification per receipt (matching `only`), set-based; the count
        (-1 when `count` is False: the caller knows it)."""

    def receipt_paths(
        self, directive_id: int, only: ReceiptFilter, material_version: int
    ) -> list[AreaPath]: ...

    def get(self, directive_id: int) -> Directive | None: ...

    def save(self, directive: Directive) -> None:
        """Content, version and status; `id` names the row."""

    def add_version(self, directive_id: int, version: Version, content: Content) -> None: ...

    def versions(self, directive_id: int) -> list[Version]: ...

    def receipt(self, directive_id: int, area_path: AreaPath) -> Receipt | None: ...

    def save_receipt(self, old: Receipt, new: Receipt) -> None:
        """Raises Conflict when the stored receipt is no longer `old` (a concurrent change)."""

    def receipts_of_units(self, directive_id: int, codes: Sequence[str]) -> list[Receipt]:
        """The receipts of the units with these area codes (those the directive reached)."""

    def sign_receipts(
        self, receipt_ids: Sequence[int], version: int, material_version: int, now: datetime
    ) -> None:
        """Sign these receipts at `version`; Conflict when one signed meanwhile."""

    def rollup(self, directive: Directive, node: AreaPath) -> Rollup:
        """Counts of the receipts at `node` itself, and below each child of `node` that
        has any."""

    def receipts(
        self, directive: Directive, where: ReceiptFilter, *, offset: int, limit: int
    ) -> Page[Receipt]: ...

    def listing(self, scopes: Sequence[AreaPath], *, offset: int, limit: int) -> Page[Directive]:
        """Directives issued inside `scopes`, or with a receipt inside them; newest first."""

    def due_for_tick(self, now: datetime) -> list[Directive]:
        """Active directives with a reminder or escalation step due and not yet taken."""

    def claim_step(self, directive_id: int, step: str, now: datetime) -> bool:
        """Mark `step` done for the directive; False when it was taken already."""


class AreaTagRepository(Protocol):
    def tags_of(self, area_path: AreaPath) -> list[str]: ...

    def set_tags(self, area_path: AreaPath, add: Sequence[str], remove: Sequence[str]) -> None: ...

    def tag_paths(self, paths: Sequence[AreaPath], tag: str) -> int:
        """Tag each area in `paths` (set-based); the number newly tagged."""

    def known(self, within: AreaPath) -> dict[str, int]:
        """Each tag used inside `within`, with how many areas carry it."""


class LedgerRepository(Protocol):
    def append(self, entry: LedgerEntry) -> LedgerEntry:
        """Place `entry` after its stream's last entry, sealed; raises Conflict on a race."""

    def append_many(self, entries: Sequence[LedgerEntry]) -> None:
        """Each entry after its own stream's last one (one entry per stream), in one batch."""

    def stream(self, stream: str) -> list[LedgerEntry]: ...

    def streams_with_prefix(self, prefix: str) -> list[str]: ...
