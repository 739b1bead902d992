"""The case aggregate: its state is a fold of its events, nothing else.

`Case.from_events` rebuilds a case from its log and `case.apply(event)` moves it one
event on. Both reject a history that does not hold together (broken chain, wrong
stage, an event after closing that only an open case may have); who was allowed to
act is the workflow's question, answered when the event was made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from civicgrid.domain.cases.events import GENESIS_HASH, CaseEvent, EventType
from civicgrid.domain.cases.folds import changes_for, expected_stage
from civicgrid.domain.cases.stages import Outcome, Source, Stage, Urgency
from civicgrid.domain.cases.state import ExtensionRequest, HoldInterval, InvalidHistory, Status


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    stage: Stage
    status: Status
    category: str  # category code
    source: Source
    urgency: Urgency
    area_code: str  # the micro-grid the report was routed to
    area_path: str
    description: str
    reporter_ref: str  # opaque; no personal data in the domain
    reported_at: datetime
    stage_entered_at: datetime
    last_seq: int
    last_hash: str
    last_event_at: datetime
    location: tuple[float, float] | None = None  # (longitude, latitude)
    outcome: Outcome | None = None
    department: str | None = None  # department code it was dispatched to
    result: str = ""  # the department's latest account of its work
    attachments: tuple[str, ...] = ()  # every attachment id, in the order added
    holds: tuple[HoldInterval, ...] = ()
    extensions: tuple[tuple[Stage, int], ...] = ()  # granted working seconds, per stage
    pending_extension: ExtensionRequest | None = None
    hold_requested: bool = False
    checked: bool = False
    verified: bool = False  # since the last handling result
    rework_count: int = 0
    reopen_count: int = 0
    rating: int | None = None
    merged_into: int | None = None
    escalation_level: int = 0  # 0 = at its own micro-grid; +1 per level up
    filed_at: datetime | None = None  # the first time
    dispatched_at: datetime | None = None  # the first time
    first_handled_at: datetime | None = None
    last_handled_at: datetime | None = None
    closed_at: datetime | None = None  # the latest close; None while open

    @property
    def finished(self) -> bool:
        """Closed or void: only rating, reopening and notes remain."""
        return self.status.finished

    @property
    def on_hold(self) -> bool:
        return self.status is Status.ON_HOLD

    def extension_seconds(self, stage: Stage) -> int:
        """Working seconds granted on top of `stage`'s limit."""
        return sum(seconds for granted, seconds in self.extensions if granted is stage)

    def held_seconds(self, since: datetime, until: datetime) -> float:
        """Seconds on hold between `since` and `until` (an open hold runs to `until`)."""
        total = 0.0
        for start, end in self.holds:
            lo, hi = max(start, since), min(end or until, until)
            total += max((hi - lo).total_seconds(), 0.0)
        return total

    @classmethod
    def from_events(cls, events: Sequence[CaseEvent]) -> Case:
        if not events:
            raise InvalidHistory("a case needs at least its REPORTED event")
        case = cls._reported(events[0])
        for event in events[1:]:
            case = case.apply(event)
        return case

    @classmethod
    def opened_by(cls, report: CaseEvent) -> tuple[CaseEvent, Case]:
        """Seal a new REPORTED event and fold it: the event and the case it opens.

        The hash is computed here once and not checked again, since nothing can come
        between the two. Only an unsealed event is taken, so a stored event can never
        pass this way unchecked: every history read back goes through `from_events`.
        """
        if report.hash:
            raise ValueError("Case.opened_by takes an unsealed event; read history via from_events")
        sealed = report.sealed()
        return sealed, cls._reported(sealed, check_hash=False)

    @classmethod
    def _reported(cls, event: CaseEvent, *, check_hash: bool = True) -> Case:
        where = f"case {event.case_id} event {event.seq}"
        if event.type is not EventType.REPORTED or event.seq != 1:
            raise InvalidHistory(f"{where}: a history starts with REPORTED as event 1")
        if event.prev_hash != GENESIS_HASH or (check_hash and _digest(event) != event.hash):
            raise InvalidHistory(f"{where}: content does not match its hash")
        if event.from_stage is not None or event.to_stage is not Stage.COLLECT:
            raise InvalidHistory(f"{where}: a report enters {Stage.COLLECT.value}")
        data = event.data
        try:
            location = data.get("location")
            return cls(
                id=event.case_id,
                stage=Stage.COLLECT,
                status=Status.OPEN,
                category=str(data["category"]),
                source=Source(data["source"]),
                urgency=Urgency(data["urgency"]),
                area_code=str(data["area_code"]),
                area_path=str(data["area_path"]),
                description=str(data["description"]),
                reporter_ref=str(data["reporter_ref"]),
                location=(float(location[0]), float(location[1])) if location else None,
                attachments=event.attachments,
                reported_at=event.at,
                stage_entered_at=event.at,
                last_seq=1,
                last_hash=event.hash,
                last_event_at=event.at,
            )
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            raise InvalidHistory(f"{where}: malformed report data ({exc!r})") from exc

    def apply(self, event: CaseEvent) -> Case:
        """This case after `event`; raises InvalidHistory if `event` cannot follow."""
        where = f"case {self.id} event {event.seq}"
        if event.case_id != self.id:
            raise InvalidHistory(f"{where}: belongs to case {event.case_id}")
        if event.seq != self.last_seq + 1 or event.prev_hash != self.last_hash:
            raise InvalidHistory(f"{where}: does not follow event {self.last_seq}")
        if _digest(event) != event.hash:
            raise InvalidHistory(f"{where}: content does not match its hash (edited?)")
        if event.at < self.last_event_at:
            raise InvalidHistory(f"{where}: dated before event {self.last_seq}")
        if event.from_stage != self.stage:
            raise InvalidHistory(f"{where}: starts from {event.from_stage}, not {self.stage}")
        try:
            to_stage = expected_stage(self, event)
            changes = changes_for(self, event)
        except InvalidHistory as exc:
            raise InvalidHistory(f"{where}: {exc.message}") from exc
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidHistory(f"{where}: malformed {event.type} data ({exc!r})") from exc
        if event.to_stage != to_stage:
            raise InvalidHistory(f"{where}: {event.type} here leads to {to_stage}")
        moved = to_stage is not self.stage
        if moved:
            # A stage change lets any request still awaiting a decision lapse.
            changes.update(stage_entered_at=event.at, pending_extension=None)
            changes.update(hold_requested=False)
        changes.update(stage=to_stage, last_seq=event.seq, last_hash=event.hash)
        changes.update(last_event_at=event.at)
        if event.attachments:
            changes.update(attachments=self.attachments + event.attachments)
        return replace(self, **changes)


def _digest(event: CaseEvent) -> str:
    """The hash `event.sealed()` would give it, without building a copy."""
    return hashlib.sha256(event.canonical()).hexdigest()
