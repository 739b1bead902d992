"""Replaying one case's events up to `as_of` into its facts.

This is a light fold of the log, not `Case.from_events`: the log was checked when it
was written, and re-hashing every event of a million cases would cost more than
everything else here together. It reads the event data the way `cases/folds.py`
writes it; `tests/unit/test_indicators.py` checks the two agree on every log it builds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import groupby
from operator import attrgetter

from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.stages import Outcome, Source, Stage
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.indicators.budget import as_budget, budget_deadline, within_budget
from civicgrid.domain.indicators.case_facts import CLOSING_OUTCOMES, CaseFacts
from civicgrid.domain.indicators.ports import CategoryLimits, TimeBudget, WorkingClock

HOUR = 3600.0


def extract_facts(
    events: Sequence[CaseEvent], as_of: datetime, *, limits: CategoryLimits, clock: WorkingClock
) -> CaseFacts | None:
    """One case's facts from its events dated at or before `as_of`, in sequence order.

    None when the case had not been reported by `as_of`.
    """
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise InvalidInput("as_of must be timezone-aware", field="as_of")
    replay = _Replay()
    for event in events:
        if event.at > as_of:
            break  # a case's events are in time order (Case.apply refuses anything else)
        replay.apply(event)
    return replay.facts(limits, clock) if events and events[0].at <= as_of else None


def stream_facts(
    events: Iterable[CaseEvent], as_of: datetime, *, limits: CategoryLimits, clock: WorkingClock
) -> Iterator[CaseFacts]:
    """Facts for each case of a stream ordered by case, then sequence (one pass)."""
    for _, group in groupby(events, key=attrgetter("case_id")):
        facts = extract_facts(list(group), as_of, limits=limits, clock=clock)
        if facts is not None:
            yield facts


class _Replay:
    """The state the facts need, moved on one event at a time."""

    def __init__(self) -> None:
        self.first: CaseEvent | None = None
        self.stage = Stage.COLLECT
        self.department: str | None = None
        self.filed_at: datetime | None = None
        self.dispatched_at: datetime | None = None
        self.first_handled_at: datetime | None = None
        self.last_handled_at: datetime | None = None
        self.handled_count = self.rework_count = self.reopen_count = 0
        self.handling_stands = self.checked = False
        self.closed_at: datetime | None = None
        self.outcome: Outcome | None = None
        self.rating: int | None = None
        self.rated_at: datetime | None = None
        self.holds: list[tuple[datetime, datetime]] = []
        self.hold_start: datetime | None = None
        self.pending: tuple[Stage, int] | None = None  # an extension awaiting its decision
        self.extensions: list[tuple[Stage, int]] = []

    def apply(self, event: CaseEvent) -> None:
        kind, at, data = event.type, event.at, event.data
        if self.first is None:
            if kind is not EventType.REPORTED:
                raise InvalidInput(f"case {event.case_id}: its log must start with REPORTED")
            self.first = event
        elif event.case_id != self.first.case_id:
            raise InvalidInput(f"event of case {event.case_id} in case {self.first.case_id}")
        if kind is EventType.CHECKED:
            self.checked = bool(data["passed"])
            if not self.checked:
                self._finish(at, Outcome.VOID)
        elif kind is EventType.FILED:
            self.filed_at = self.filed_at or at
        elif kind is EventType.DISPATCHED:
            self.department = str(data["department"])
            self.dispatched_at = self.dispatched_at or at
        elif kind is EventType.HANDLED:
            self.handled_count += 1
            self.first_handled_at = self.first_handled_at or at
            self.last_handled_at = at
            self.handling_stands = True
        elif kind is EventType.REWORK:
            self.rework_count += 1
        elif kind in _FINISHING:
            self._finish(at, _FINISHING[kind] or Outcome(data["outcome"]))
        elif kind is EventType.RATED:
            self.rating, self.rated_at = int(data["score"]), at
        elif kind is EventType.REOPENED:
            self.outcome = self.closed_at = None
            self.reopen_count += 1
        else:
            self._clock_event(kind, event)
        self._move(event.to_stage)

    def _clock_event(self, kind: EventType, event: CaseEvent) -> None:
        if kind is EventType.EXTENSION_REQUESTED:
            self.pending = (self.stage, int(event.data["working_seconds"]))
        elif kind is EventType.EXTENSION_DECIDED:
            if self.pending is not None and event.data["approved"]:
                self.extensions.append(self.pending)
            self.pending = None
        elif kind is EventType.HOLD_DECIDED and event.data["approved"]:
            self.hold_start = event.at
        elif kind is EventType.HOLD_RELEASED:
            self._end_hold(event.at)

    def _move(self, to_stage: Stage | None) -> None:
        if to_stage is None or to_stage is self.stage:
            return
        self.stage, self.pending = to_stage, None  # a stage change lets a request lapse
        if to_stage.order <= Stage.HANDLE.order:
            self.handling_stands = False  # rework, reopening or a return: to be handled again

    def _finish(self, at: datetime, outcome: Outcome) -> None:
        self.outcome, self.closed_at = outcome, at
        self._end_hold(at)

    def _end_hold(self, at: datetime) -> None:
        if self.hold_start is not None:
            self.holds.append((self.hold_start, at))
            self.hold_start = None

    def facts(self, limits: CategoryLimits, clock: WorkingClock) -> CaseFacts:
        first = self.first
        assert first is not None  # noqa: S101 - facts() runs only after REPORTED
        category = str(first.data["category"])
        handle_budget = as_budget(limits.limit_seconds(category)).extended(
            self._granted(Stage.HANDLE)
        )
        close_budget = as_budget(limits.close_limit_seconds(category)).extended(self._granted(None))
        hours: float | None = None
        handled_on_time = False
        if self.handling_stands and self.dispatched_at and self.last_handled_at:
            start, done = self.dispatched_at, self.last_handled_at
            hours = clock.working_seconds(start, done, excluded=self.holds) / HOUR
            handled_on_time = within_budget(start, done, handle_budget, clock, self.holds)
        closed_on_time = False
        if self.outcome in CLOSING_OUTCOMES and self.filed_at and self.closed_at:
            closed_on_time = within_budget(
                self.filed_at, self.closed_at, close_budget, clock, self.holds
            )
        return CaseFacts(
            case_id=first.case_id,
            reported_at=first.at.timestamp(),
            source=Source(first.data["source"]),
            category=category,
            area_path=str(first.data["area_path"]),
            reporter=first.actor,
            reporter_position=first.position,
            department=self.department,
            filed_at=_ts(self.filed_at),
            dispatched_at=_ts(self.dispatched_at),
            first_handled_at=_ts(self.first_handled_at),
            last_handled_at=_ts(self.last_handled_at),
            handled_count=self.handled_count,
            rework_count=self.rework_count,
            reopen_count=self.reopen_count,
            handling_done=hours is not None,
            handling_hours=hours,
            handled_on_time=handled_on_time,
            handle_deadline=_ts(self._deadline(self.dispatched_at, handle_budget, clock)),
            closed_at=_ts(self.closed_at),
            outcome=self.outcome,
            closed_on_time=closed_on_time,
            close_deadline=_ts(self._deadline(self.filed_at, close_budget, clock)),
            rating=self.rating,
            rated_at=_ts(self.rated_at),
            checked=self.checked,
            on_hold=self.hold_start is not None,
        )

    def _granted(self, stage: Stage | None) -> float:
        """Extension seconds granted at `stage`, or at every stage for None."""
        return float(sum(s for at, s in self.extensions if stage is None or at is stage))

    def _deadline(
        self, start: datetime | None, budget: TimeBudget, clock: WorkingClock
    ) -> datetime | None:
        if start is None:
            return None
        deadline = budget_deadline(start, budget, clock, self.holds)
        if self.hold_start is not None and deadline > self.hold_start:
            return None  # on hold now: the clock stopped at the hold's start, time left
        return deadline


_FINISHING: dict[EventType, Outcome | None] = {
    EventType.CLOSED: None,  # the outcome is in the event's data
    EventType.VOIDED: Outcome.VOID,
    EventType.MERGED: Outcome.DUPLICATE,
}


def _ts(at: datetime | None) -> float | None:
    return None if at is None else at.timestamp()
