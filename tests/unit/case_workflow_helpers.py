"""Test helpers for the case workflow: a case with its log, and every action with
arguments that are valid (variants 0 and 1) or not (variant 2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from civicgrid.domain.cases import workflow as wf
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Source, Stage

T0 = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
DEPT = "D-ROADS"
CITIZEN = "citizen-7"
ACTORS = {
    Position.INSPECTOR: "insp-li",
    Position.ACCEPTOR: "acc-wang",
    Position.SHIFT_LEADER: "lead-zhao",
    Position.DISPATCHER: "disp-chen",
    Position.HANDLER: "roads-liu",
    Position.REPORTER: CITIZEN,
    Position.SYSTEM: "system",
}
REPORTED_BY = {
    Source.CITIZEN: Position.REPORTER,
    Source.ENTERPRISE: Position.REPORTER,
    Source.HOTLINE: Position.ACCEPTOR,
    Source.GRID_WORKER: Position.INSPECTOR,
    Source.SENSOR: Position.SYSTEM,
    Source.VIDEO: Position.SYSTEM,
    Source.STAFF: Position.SHIFT_LEADER,
}


def report_event(source: Source = Source.CITIZEN, at: datetime = T0) -> CaseEvent:
    position = REPORTED_BY[source]
    return wf.report(
        1,
        ACTORS[position],
        position,
        at,
        category="road.pothole",
        source=source,
        area_code="4101050010010101",
        area_path="/410100/410105/410105001/410105001001/41010500100101/4101050010010101/",
        description="a pothole by the bus stop",
        reporter_ref=CITIZEN,
        location=(113.65, 34.76),
        attachments=("photo-1",),
    )


@dataclass
class Log:
    """A case, its events, and a clock that moves ten minutes per action."""

    events: list[CaseEvent]
    now: datetime = T0
    case: Case = field(init=False)

    def __post_init__(self) -> None:
        self.case = Case.from_events(self.events)

    def do(
        self,
        action: CaseAction,
        position: Position,
        variant: int = 0,
        *,
        actor: str | None = None,
        dept: str | None = DEPT,
        after: timedelta = timedelta(minutes=10),
    ) -> CaseEvent:
        self.now += after
        event = call(
            action, self.case, actor or ACTORS[position], position, self.now, dept, variant
        )
        self.events.append(event)
        self.case = self.case.apply(event)
        return event

    def attempt(
        self,
        action: CaseAction,
        position: Position,
        variant: int = 0,
        *,
        actor: str | None = None,
        dept: str | None = DEPT,
    ) -> CaseEvent:
        """Like `do`, recording nothing: for calls expected to fail."""
        now = self.now + timedelta(minutes=10)
        return call(action, self.case, actor or ACTORS[position], position, now, dept, variant)


MAIN_PATH: dict[Stage, list[tuple[CaseAction, Position]]] = {
    Stage.FILE: [(CaseAction.ACCEPT, Position.ACCEPTOR)],
    Stage.DISPATCH: [
        (CaseAction.CHECK, Position.INSPECTOR),
        (CaseAction.FILE, Position.SHIFT_LEADER),
    ],
    Stage.HANDLE: [(CaseAction.DISPATCH, Position.DISPATCHER)],
    Stage.FEEDBACK: [(CaseAction.HANDLE, Position.HANDLER)],
    Stage.VERIFY_CLOSE: [(CaseAction.FORWARD_FEEDBACK, Position.DISPATCHER)],
    Stage.EVALUATE: [(CaseAction.CLOSE, Position.SHIFT_LEADER)],  # closed, not fixed
}


def case_at(stage: Stage, source: Source = Source.CITIZEN) -> Log:
    """A fresh case taken along the main path up to `stage`."""
    log = Log([report_event(source)])
    for step in list(Stage)[1 : stage.order + 1]:
        for action, position in MAIN_PATH[step]:
            log.do(action, position)
    return log


def _close(case: Case, actor: str, position: Position, now: datetime, variant: int) -> CaseEvent:
    if position is Position.SYSTEM:
        outcome = Outcome.RESOLVED_BY_SENSOR
    elif case.verified and variant == 0:
        outcome = Outcome.FIXED
    else:
        outcome = Outcome.CLOSED_NOT_FIXED
    reason = "" if variant == 2 and outcome is not Outcome.FIXED else "not ours to fix"
    return wf.close(case, actor, position, now, outcome, reason)


Call = Callable[[Case, str, Position, datetime, str | None, int], CaseEvent]

# Each action with arguments chosen by variant: 0 the usual, 1 another valid choice
# (failing a check, refusing a request …), 2 invalid where the action has arguments.
CALLS: dict[CaseAction, Call] = {
    CaseAction.ACCEPT: lambda c, a, p, t, d, v: wf.accept(c, a, p, t),
    CaseAction.CHECK: lambda c, a, p, t, d, v: wf.check(
        c, a, p, t, passed=v == 0, reason="" if v == 2 else "nothing there"
    ),
    CaseAction.FILE: lambda c, a, p, t, d, v: wf.file(c, a, p, t),
    CaseAction.DISPATCH: lambda c, a, p, t, d, v: wf.dispatch(
        c, a, p, t, " " if v == 2 else (DEPT if v == 0 else "D-PARKS")
    ),
    CaseAction.HANDLE: lambda c, a, p, t, d, v: wf.handle(
        c, a, p, t, "" if v == 2 else "filled the pothole", ("after.jpg",), actor_department=d
    ),
    CaseAction.FORWARD_FEEDBACK: lambda c, a, p, t, d, v: wf.forward_feedback(c, a, p, t),
    CaseAction.VERIFY: lambda c, a, p, t, d, v: wf.verify(
        c, a, p, t, passed=v == 0, note="" if v == 2 else "still a hole"
    ),
    CaseAction.CLOSE: lambda c, a, p, t, d, v: _close(c, a, p, t, v),
    CaseAction.RATE: lambda c, a, p, t, d, v: wf.rate(c, a, p, t, (4, 1, 6)[v]),
    CaseAction.REOPEN: lambda c, a, p, t, d, v: wf.reopen(
        c, a, p, t, "" if v == 2 else "still broken"
    ),
    CaseAction.RETURN: lambda c, a, p, t, d, v: wf.return_to_previous(
        c, a, p, t, "" if v == 2 else "wrong details", actor_department=d
    ),
    CaseAction.REQUEST_EXTENSION: lambda c, a, p, t, d, v: wf.request_extension(
        c, a, p, t, (3600, 7200, 0)[v], "waiting for asphalt", actor_department=d
    ),
    CaseAction.DECIDE_EXTENSION: lambda c, a, p, t, d, v: wf.decide_extension(
        c, a, p, t, approved=v != 1
    ),
    CaseAction.REQUEST_HOLD: lambda c, a, p, t, d, v: wf.request_hold(
        c, a, p, t, "" if v == 2 else "needs a road permit", actor_department=d
    ),
    CaseAction.DECIDE_HOLD: lambda c, a, p, t, d, v: wf.decide_hold(c, a, p, t, approved=v != 1),
    CaseAction.RELEASE_HOLD: lambda c, a, p, t, d, v: wf.release_hold(
        c, a, p, t, actor_department=d
    ),
    CaseAction.VOID: lambda c, a, p, t, d, v: wf.void(c, a, p, t, "" if v == 2 else "a prank"),
    CaseAction.MERGE_INTO: lambda c, a, p, t, d, v: wf.merge_into(c, a, p, t, (99, 98, c.id)[v]),
    CaseAction.ESCALATE: lambda c, a, p, t, d, v: wf.escalate(
        c, a, p, t, c.escalation_level + 1 if v != 2 else 0, "dispatch limit ran out"
    ),
    CaseAction.NOTE: lambda c, a, p, t, d, v: wf.note(
        c, a, p, t, "" if v == 2 else "called the reporter", actor_department=d
    ),
}

WITH_INVALID_VARIANT = frozenset(CALLS) - {
    CaseAction.ACCEPT,
    CaseAction.FILE,
    CaseAction.FORWARD_FEEDBACK,
    CaseAction.DECIDE_EXTENSION,
    CaseAction.DECIDE_HOLD,
    CaseAction.RELEASE_HOLD,
}


def call(
    action: CaseAction,
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    dept: str | None,
    variant: int = 0,
) -> CaseEvent:
    return CALLS[action](case, actor, position, now, dept, variant)
