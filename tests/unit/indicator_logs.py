"""Hand-built case logs for the indicator tests: sealed, chained, checked by `Case`.

`march_logs()` is one district's March 2024 in 14 cases, each with a known story
(holds, an extension, rework, a reopening, voids, a duplicate, a sensor close …).
The clock counts every second as working time, so the answers can be worked by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import GENESIS_HASH, CaseEvent, EventType
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source, Stage

HOUR = 3600.0
EAST, WEST = "/410100/410102/", "/410100/410105/"
LIMITS = {"0101": (48 * HOUR, 72 * HOUR), "9901": (24 * HOUR, 48 * HOUR)}

_LEADS_TO = {
    EventType.ACCEPTED: Stage.FILE,
    EventType.FILED: Stage.DISPATCH,
    EventType.DISPATCHED: Stage.HANDLE,
    EventType.HANDLED: Stage.FEEDBACK,
    EventType.FEEDBACK_FORWARDED: Stage.VERIFY_CLOSE,
    EventType.REWORK: Stage.HANDLE,
    EventType.CLOSED: Stage.EVALUATE,
    EventType.VOIDED: Stage.EVALUATE,
    EventType.MERGED: Stage.EVALUATE,
    EventType.REOPENED: Stage.HANDLE,
}
_ACTORS = {
    Position.ACCEPTOR: "acceptor1",
    Position.SHIFT_LEADER: "leader1",
    Position.DISPATCHER: "dispatcher1",
    Position.HANDLER: "handler1",
    Position.INSPECTOR: "inspector9",
    Position.SYSTEM: "system",
}


def t(day: int, hour: int = 0, month: int = 3) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=UTC)


class FixedLimits:
    def limit_seconds(self, category_code: str) -> float:
        return LIMITS[category_code][0]

    def close_limit_seconds(self, category_code: str) -> float:
        return LIMITS[category_code][1]


class AllHoursClock:
    """Every second is working time; holds (never overlapping here) are cut out."""

    def working_seconds(
        self, start: datetime, end: datetime, *, excluded: Sequence[tuple[datetime, datetime]] = ()
    ) -> float:
        total = (end - start).total_seconds()
        for lo, hi in excluded:
            lo, hi = max(lo, start), min(hi, end)
            total -= max((hi - lo).total_seconds(), 0.0)
        return total

    def add_working(
        self, start: datetime, seconds: float, *, excluded: Sequence[tuple[datetime, datetime]] = ()
    ) -> datetime:
        at = start + timedelta(seconds=seconds)
        for lo, hi in sorted(excluded):
            if hi > start and max(lo, start) < at:
                at += hi - max(lo, start)  # the hold stopped the clock
        return at


class Log:
    """One case's log, built event by event with stages worked out as the folds do."""

    def __init__(
        self, case_id: int, at: datetime, source: Source, reporter: str, position: Position,
        *, area: str = EAST, category: str = "0101",
    ) -> None:  # fmt: skip
        self.case_id, self.stage = case_id, Stage.COLLECT
        data = {
            "category": category,
            "source": source.value,
            "urgency": "normal",
            "area_code": area.strip("/").split("/")[-1],
            "area_path": area,
            "description": f"case {case_id}",
            "reporter_ref": reporter,
        }
        first = CaseEvent(case_id, 1, EventType.REPORTED, at, reporter, position, None,
                          Stage.COLLECT, data=data).sealed()  # fmt: skip
        self.events = [first]

    def then(
        self, kind: EventType, at: datetime, position: Position, actor: str = "", **data: Any
    ) -> Log:
        to_stage = _LEADS_TO.get(kind, self.stage)
        if kind is EventType.CHECKED and not data["passed"]:
            to_stage = Stage.EVALUATE
        if kind is EventType.RETURNED:
            to_stage = self.stage.previous() or self.stage
        last = self.events[-1]
        event = CaseEvent(
            self.case_id, last.seq + 1, kind, at, actor or _ACTORS.get(position, "someone"),
            position, self.stage, to_stage, data=data, prev_hash=last.hash,
        ).sealed()  # fmt: skip
        self.events.append(event)
        self.stage = to_stage
        return self

    def intake(self, at: datetime, *, check: bool = False) -> Log:
        """Accepted, checked on site if `check`, and filed: an hour apart each."""
        self.then(EventType.ACCEPTED, at, Position.ACCEPTOR)
        if check:
            self.then(EventType.CHECKED, at + timedelta(hours=1), Position.INSPECTOR, passed=True)
        return self.then(EventType.FILED, at + timedelta(hours=1 + check), Position.SHIFT_LEADER)

    def handled(self, at: datetime) -> Log:
        return self.then(EventType.HANDLED, at, Position.HANDLER, result="done")

    def verified_and_closed(self, at: datetime, outcome: str = "fixed") -> Log:
        """Forwarded and verified two and one hours before `at`, then closed at `at`."""
        self.then(EventType.FEEDBACK_FORWARDED, at - timedelta(hours=2), Position.DISPATCHER)
        self.then(EventType.VERIFIED, at - timedelta(hours=1), Position.INSPECTOR)
        return self.then(EventType.CLOSED, at, Position.SHIFT_LEADER, outcome=outcome)

    def dispatched(self, at: datetime, department: str = "roads") -> Log:
        return self.then(EventType.DISPATCHED, at, Position.DISPATCHER, department=department)

    def checked_by_case(self) -> list[CaseEvent]:
        """The events, after `Case.from_events` has accepted them as one history."""
        Case.from_events(self.events)
        assert self.events[0].prev_hash == GENESIS_HASH
        return self.events


def march_logs() -> dict[int, list[CaseEvent]]:
    E, P = EventType, Position  # noqa: N806 - short names keep the stories readable
    grid, citizen = Source.GRID_WORKER, Source.CITIZEN
    logs = [
        # 1 A grid worker's report, handled in 24 h and fixed on time.
        Log(1, t(1, 8), grid, "inspector1", P.INSPECTOR).intake(t(1, 9)).dispatched(t(1, 12))
        .handled(t(2, 12)).verified_and_closed(t(3, 0)),
        # 2 A citizen's report, checked on site; handled 72 h (late), closed not fixed, rated 2.
        Log(2, t(1, 0), citizen, "citizen-b", P.REPORTER, area=WEST).intake(t(1, 1), check=True)
        .dispatched(t(2, 0), "sanitation").handled(t(5, 0))
        .then(E.FEEDBACK_FORWARDED, t(5, 1), P.DISPATCHER)
        .then(E.CLOSED, t(5, 6), P.SHIFT_LEADER, outcome="closed_not_fixed")
        .then(E.RATED, t(5, 8), P.REPORTER, "citizen-b", score=2),
        # 3 A hotline report: 24 h on hold and 12 h extension make 73 h on time (49 of 60 h).
        Log(3, t(9, 20), Source.HOTLINE, "acceptor1", P.ACCEPTOR).intake(t(9, 21), check=True)
        .dispatched(t(10, 0))
        .then(E.HOLD_REQUESTED, t(10, 1), P.HANDLER)
        .then(E.HOLD_DECIDED, t(10, 2), P.SHIFT_LEADER, approved=True)
        .then(E.HOLD_RELEASED, t(11, 2), P.SHIFT_LEADER)
        .then(E.EXTENSION_REQUESTED, t(11, 3), P.HANDLER, working_seconds=43_200)
        .then(E.EXTENSION_DECIDED, t(11, 4), P.SHIFT_LEADER, approved=True)
        .handled(t(13, 1)).verified_and_closed(t(13, 4)),
        # 4 Handled, sent back (返工), handled again: two results, one rework, 24 h.
        Log(4, t(14, 20), grid, "inspector1", P.INSPECTOR).intake(t(14, 21)).dispatched(t(15, 0))
        .handled(t(15, 10)).then(E.FEEDBACK_FORWARDED, t(15, 11), P.DISPATCHER)
        .then(E.REWORK, t(15, 12), P.INSPECTOR).handled(t(16, 0)).verified_and_closed(t(16, 5)),
        # 5 Fixed on time on the 20th, reopened on the 21st, handled and closed again late.
        Log(5, t(17, 20), citizen, "citizen-e", P.REPORTER).intake(t(17, 21), check=True)
        .dispatched(t(18, 0)).handled(t(19, 0)).verified_and_closed(t(20, 0))
        .then(E.REOPENED, t(21, 0), P.REPORTER, "citizen-e")
        .handled(t(22, 0)).verified_and_closed(t(22, 6)),
        # 6 Filed, then voided.
        Log(6, t(5, 0), grid, "inspector2", P.INSPECTOR, area=WEST).intake(t(5, 1))
        .then(E.VOIDED, t(6, 0), P.SHIFT_LEADER),
        # 7 A duplicate of case 1, merged at intake.
        Log(7, t(7, 0), citizen, "citizen-g", P.REPORTER)
        .then(E.MERGED, t(7, 1), P.ACCEPTOR, into=1),
        # 8 A sensor alert, dispatched, cleared by itself before anyone handled it.
        Log(8, t(8, 0), Source.SENSOR, "system", P.SYSTEM, area=WEST).intake(t(8, 1))
        .dispatched(t(8, 3), "sanitation")
        .then(E.CLOSED, t(8, 5), P.SYSTEM, outcome="resolved_by_sensor"),
        # 9 An enterprise's request, handled in 5 h, fixed, rated 4.
        Log(9, t(25, 0), Source.ENTERPRISE, "ent-i", P.REPORTER).intake(t(25, 1), check=True)
        .dispatched(t(25, 4)).handled(t(25, 9)).verified_and_closed(t(26, 0))
        .then(E.RATED, t(26, 1), P.REPORTER, "ent-i", score=4),
        # 10 A citizen's report in an enterprise category that failed its on-site check.
        Log(10, t(9, 0), citizen, "citizen-j", P.REPORTER, area=WEST, category="9901")
        .then(E.ACCEPTED, t(9, 1), P.ACCEPTOR)
        .then(E.CHECKED, t(9, 2), P.INSPECTOR, passed=False),
        # 11 Dispatched on the 27th and left: overdue for handling (29th) and closing (30th).
        Log(11, t(27, 0), grid, "inspector1", P.INSPECTOR).intake(t(27, 1)).dispatched(t(27, 3)),
        # 12 Dispatched on the 31st: due only in April.
        Log(12, t(30, 20), grid, "inspector2", P.INSPECTOR, area=WEST).intake(t(30, 21))
        .dispatched(t(31, 0), "sanitation"),
        # 13 On hold from the 28th, still on hold: its clocks are stopped.
        Log(13, t(27, 20), grid, "inspector1", P.INSPECTOR).intake(t(27, 21)).dispatched(t(28, 0))
        .then(E.HOLD_REQUESTED, t(28, 11), P.HANDLER)
        .then(E.HOLD_DECIDED, t(28, 12), P.SHIFT_LEADER, approved=True),
        # 14 Reported and filed in February, handled (12 h) and closed on 1 March.
        Log(14, t(28, 20, 2), grid, "inspector1", P.INSPECTOR).intake(t(28, 21, 2))
        .dispatched(t(28, 23, 2)).handled(t(1, 11)).verified_and_closed(t(1, 14)),
    ]  # fmt: skip
    return {log.case_id: log.checked_by_case() for log in logs}
