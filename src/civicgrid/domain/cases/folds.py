"""How each event type changes a case: the stage it leads to and the fields it sets.

These are the invariants of any history, whoever wrote it: nothing but rating,
reopening and notes after closing; nothing but release, notes, voiding and merging
while on hold; a public report filed only after its on-site check; FIXED only when
verified since the last handling. The workflow checks the same before it makes an
event, with friendlier messages; this is the net under it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.stages import Outcome, Stage
from civicgrid.domain.cases.state import ExtensionRequest, HoldInterval, InvalidHistory, Status

if TYPE_CHECKING:
    from civicgrid.domain.cases.case import Case

Changes = dict[str, Any]

_OPEN = frozenset(Stage) - {Stage.EVALUATE}
_ANY = frozenset(Stage)
_AFTER_FINISH = frozenset({EventType.RATED, EventType.REOPENED, EventType.NOTED})
_DURING_HOLD = frozenset(
    {EventType.HOLD_RELEASED, EventType.NOTED, EventType.VOIDED, EventType.MERGED}
)

# Event type → (stages it may start from, the stage it leads to; None = stays).
_MOVES: dict[EventType, tuple[frozenset[Stage], Stage | None]] = {
    EventType.ACCEPTED: (frozenset({Stage.COLLECT}), Stage.FILE),
    EventType.CHECKED: (frozenset({Stage.FILE}), None),  # a failed check voids: see below
    EventType.FILED: (frozenset({Stage.FILE}), Stage.DISPATCH),
    EventType.DISPATCHED: (frozenset({Stage.DISPATCH}), Stage.HANDLE),
    EventType.HANDLED: (frozenset({Stage.HANDLE}), Stage.FEEDBACK),
    EventType.FEEDBACK_FORWARDED: (frozenset({Stage.FEEDBACK}), Stage.VERIFY_CLOSE),
    EventType.VERIFIED: (frozenset({Stage.VERIFY_CLOSE}), None),
    EventType.REWORK: (frozenset({Stage.VERIFY_CLOSE}), Stage.HANDLE),
    EventType.CLOSED: (_OPEN, Stage.EVALUATE),
    EventType.VOIDED: (_OPEN, Stage.EVALUATE),
    EventType.MERGED: (_OPEN, Stage.EVALUATE),
    EventType.RATED: (frozenset({Stage.EVALUATE}), None),
    EventType.REOPENED: (frozenset({Stage.EVALUATE}), Stage.HANDLE),
    EventType.RETURNED: (_OPEN - {Stage.COLLECT}, None),  # to the previous stage
    EventType.EXTENSION_REQUESTED: (_OPEN, None),
    EventType.EXTENSION_DECIDED: (_OPEN, None),
    EventType.HOLD_REQUESTED: (_OPEN, None),
    EventType.HOLD_DECIDED: (_OPEN, None),
    EventType.HOLD_RELEASED: (_OPEN, None),
    EventType.ESCALATED: (_OPEN, None),
    EventType.NOTED: (_ANY, None),
}


def expected_stage(case: Case, event: CaseEvent) -> Stage:
    """The stage `event` must lead to from `case`; raises if it cannot happen there."""
    kind = event.type
    if kind not in _MOVES:
        raise InvalidHistory(f"{kind} cannot happen to an existing case")
    if case.finished and kind not in _AFTER_FINISH:
        raise InvalidHistory(f"{kind} after the case was {case.status}")
    if case.on_hold and kind not in _DURING_HOLD:
        raise InvalidHistory(f"{kind} while the case is on hold")
    starts, leads_to = _MOVES[kind]
    if case.stage not in starts:
        raise InvalidHistory(f"{kind} cannot happen at {case.stage}")
    if kind is EventType.RETURNED:
        previous = case.stage.previous()
        if previous is None:
            raise InvalidHistory(f"nothing comes before {case.stage}")
        return previous
    if kind is EventType.CHECKED and not event.data["passed"]:
        return Stage.EVALUATE
    return leads_to or case.stage


def changes_for(case: Case, event: CaseEvent) -> Changes:
    """The fields `event` sets on `case`, besides stage, sequence and hash."""
    fold = _FOLDS.get(event.type)
    return fold(case, event) if fold else {}


def _finish(case: Case, at: datetime, status: Status, outcome: Outcome) -> Changes:
    return {
        "status": status,
        "outcome": outcome,
        "closed_at": at,
        "holds": _end_hold(case.holds, at),
    }


def _end_hold(holds: tuple[HoldInterval, ...], at: datetime) -> tuple[HoldInterval, ...]:
    if holds and holds[-1][1] is None:
        return (*holds[:-1], (holds[-1][0], at))
    return holds


def _checked(case: Case, event: CaseEvent) -> Changes:
    if event.data["passed"]:
        return {"checked": True}
    return {"checked": True, **_finish(case, event.at, Status.VOID, Outcome.VOID)}


def _filed(case: Case, event: CaseEvent) -> Changes:
    if case.source.is_public and not case.checked:
        raise InvalidHistory(f"a {case.source} report filed before its on-site check")
    return {"filed_at": case.filed_at or event.at}


def _dispatched(case: Case, event: CaseEvent) -> Changes:
    return {
        "department": str(event.data["department"]),
        "dispatched_at": case.dispatched_at or event.at,
    }


def _handled(case: Case, event: CaseEvent) -> Changes:
    return {
        "result": str(event.data["result"]),
        "first_handled_at": case.first_handled_at or event.at,
        "last_handled_at": event.at,
        "verified": False,
    }


def _closed(case: Case, event: CaseEvent) -> Changes:
    outcome = Outcome(event.data["outcome"])
    if outcome in {Outcome.DUPLICATE, Outcome.VOID}:
        raise InvalidHistory(f"CLOSED with {outcome}: that is MERGED or VOIDED")
    if outcome is Outcome.FIXED and not case.verified:
        raise InvalidHistory("closed as fixed without verification since the last handling")
    return _finish(case, event.at, Status.CLOSED, outcome)


def _rated(case: Case, event: CaseEvent) -> Changes:
    score = event.data["score"]
    if case.rating is not None or type(score) is not int or not 1 <= score <= 5:
        raise InvalidHistory(f"rating {score!r} on a case rated {case.rating}")
    return {"rating": score}


def _reopened(case: Case, event: CaseEvent) -> Changes:
    return {
        "status": Status.OPEN,
        "outcome": None,
        "closed_at": None,
        "verified": False,
        "reopen_count": case.reopen_count + 1,
    }


def _extension_requested(case: Case, event: CaseEvent) -> Changes:
    seconds = int(event.data["working_seconds"])
    request = ExtensionRequest(case.stage, seconds, event.actor, event.reason)
    return {"pending_extension": request}


def _extension_decided(case: Case, event: CaseEvent) -> Changes:
    request = case.pending_extension
    if request is None:
        raise InvalidHistory("an extension decided with none requested")
    if not event.data["approved"]:
        return {"pending_extension": None}
    granted = dict(case.extensions)
    granted[request.stage] = granted.get(request.stage, 0) + request.working_seconds
    extensions = tuple(sorted(granted.items(), key=lambda item: item[0].order))
    return {"pending_extension": None, "extensions": extensions}


def _hold_decided(case: Case, event: CaseEvent) -> Changes:
    if not case.hold_requested:
        raise InvalidHistory("a hold decided with none requested")
    if not event.data["approved"]:
        return {"hold_requested": False}
    holds = (*case.holds, (event.at, None))
    return {"hold_requested": False, "status": Status.ON_HOLD, "holds": holds}


def _hold_released(case: Case, event: CaseEvent) -> Changes:
    if not case.on_hold:
        raise InvalidHistory("a hold released while not on hold")
    return {"status": Status.OPEN, "holds": _end_hold(case.holds, event.at)}


def _escalated(case: Case, event: CaseEvent) -> Changes:
    level = int(event.data["level"])
    if level <= case.escalation_level:
        raise InvalidHistory(f"escalated to {level} from {case.escalation_level}")
    return {"escalation_level": level}


_FOLDS: dict[EventType, Callable[[Case, CaseEvent], Changes]] = {
    EventType.CHECKED: _checked,
    EventType.FILED: _filed,
    EventType.DISPATCHED: _dispatched,
    EventType.HANDLED: _handled,
    EventType.VERIFIED: lambda case, event: {"verified": True},
    EventType.REWORK: lambda case, event: {
        "verified": False,
        "rework_count": case.rework_count + 1,
    },
    EventType.CLOSED: _closed,
    EventType.VOIDED: lambda case, event: _finish(case, event.at, Status.VOID, Outcome.VOID),
    EventType.MERGED: lambda case, event: {
        **_finish(case, event.at, Status.CLOSED, Outcome.DUPLICATE),
        "merged_into": int(event.data["into"]),
    },
    EventType.RATED: _rated,
    EventType.REOPENED: _reopened,
    EventType.RETURNED: lambda case, event: {"verified": False},
    EventType.EXTENSION_REQUESTED: _extension_requested,
    EventType.EXTENSION_DECIDED: _extension_decided,
    EventType.HOLD_REQUESTED: lambda case, event: {"hold_requested": True},
    EventType.HOLD_DECIDED: _hold_decided,
    EventType.HOLD_RELEASED: _hold_released,
    EventType.ESCALATED: _escalated,
}
