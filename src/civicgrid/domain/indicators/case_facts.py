"""What the indicators need to know about one case, as of one instant.

Facts are extracted once per case from its events (`replay.py`) and then counted many
times, so they hold only flat values. Instants are POSIX seconds (UTC) rather than
datetimes: a million facts become numpy columns without a datetime conversion each.
"""

from __future__ import annotations

from dataclasses import dataclass

from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Source

CLOSING_OUTCOMES = frozenset({Outcome.FIXED, Outcome.CLOSED_NOT_FIXED, Outcome.RESOLVED_BY_SENSOR})
"""Outcomes that count as 结案. Only FIXED ever counts as fixed."""

EXCLUDED_OUTCOMES = frozenset({Outcome.VOID, Outcome.DUPLICATE})
"""Voided (作废) and merged duplicates drop out of every workflow indicator."""


@dataclass(frozen=True, slots=True)
class CaseFacts:
    case_id: int
    reported_at: float  # POSIX seconds, like every instant here
    source: Source
    category: str
    area_path: str
    reporter: str  # the REPORTED event's actor
    reporter_position: Position
    department: str | None = None  # of the latest dispatch
    filed_at: float | None = None  # the first 立案
    dispatched_at: float | None = None  # the first dispatch: the handling clock starts here
    first_handled_at: float | None = None
    last_handled_at: float | None = None
    handled_count: int = 0  # HANDLED events
    rework_count: int = 0  # REWORK events
    reopen_count: int = 0
    handling_done: bool = False  # the latest HANDLED stands: no rework, reopen or return since
    handling_hours: float | None = None  # dispatch → latest HANDLED, working hours, less holds
    handled_on_time: bool = False
    handle_deadline: float | None = None  # None before dispatch, or while a hold stops the clock
    closed_at: float | None = None  # the standing close, void or merge; None while open
    outcome: Outcome | None = None
    closed_on_time: bool = False
    close_deadline: float | None = None  # None before filing, or while a hold stops the clock
    rating: int | None = None  # 1-5
    rated_at: float | None = None
    checked: bool = False  # a public report that passed its on-site check (核实)
    on_hold: bool = False

    @property
    def filed(self) -> bool:
        return self.filed_at is not None

    @property
    def dispatched(self) -> bool:
        return self.dispatched_at is not None

    @property
    def closed(self) -> bool:
        """结案: closed with an outcome that counts (not void, not a duplicate)."""
        return self.outcome in CLOSING_OUTCOMES

    @property
    def voided(self) -> bool:
        return self.outcome is Outcome.VOID

    @property
    def duplicate(self) -> bool:
        return self.outcome is Outcome.DUPLICATE

    @property
    def counted(self) -> bool:
        """Filed, and neither void nor a duplicate: what the workflow indicators count."""
        return self.filed_at is not None and self.outcome not in EXCLUDED_OUTCOMES

    @property
    def public_report_verified(self) -> bool:
        """监督举报核实: a public report checked on site and filed."""
        return self.source.is_public and self.checked and self.filed_at is not None

    @property
    def inspector_report(self) -> bool:
        """Reported by a 监督员/网格员 (the only position that reports as a grid worker)."""
        return self.source is Source.GRID_WORKER
