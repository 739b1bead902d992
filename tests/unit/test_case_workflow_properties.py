"""Random actions by random positions never leave a case in a state its log cannot explain."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import hypothesis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicgrid.domain.cases import workflow as wf
from civicgrid.domain.cases.actions import FINISHED_ACTIONS, CaseAction
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent, EventType, verify_chain
from civicgrid.domain.cases.guards import DEFAULT_REOPEN_POLICY
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Source, Stage
from civicgrid.domain.cases.state import InvalidHistory, Status
from civicgrid.domain.errors import Conflict, DomainError
from tests.unit.case_workflow_helpers import (
    ACTORS,
    CITIZEN,
    DEPT,
    WITH_INVALID_VARIANT,
    Log,
    call,
    report_event,
)

ACTIONS = [action for action in CaseAction if action is not CaseAction.REPORT]
NOTEWORTHY = {
    EventType.REWORK,
    EventType.REOPENED,
    EventType.HOLD_RELEASED,
    EventType.EXTENSION_DECIDED,
    EventType.RATED,
}
GAPS = [timedelta(0), timedelta(minutes=1), timedelta(hours=3), timedelta(days=2)]


def last_index(events: list[CaseEvent], *kinds: EventType) -> int:
    return max((i for i, e in enumerate(events) if e.type in kinds), default=-1)


def attempt(
    action: CaseAction,
    case: Case,
    actor: str,
    position: Position,
    now: datetime,
    dept: str | None,
    variant: int,
) -> CaseEvent | DomainError:
    """The event, or the domain error that refused it."""
    try:
        return call(action, case, actor, position, now, dept, variant)
    except DomainError as refused:
        return refused


def check_invariants(case: Case, events: list[CaseEvent]) -> None:
    assert Case.from_events(events) == case
    assert (case.last_seq, case.last_hash) == (len(events), events[-1].hash)
    assert (case.stage is Stage.EVALUATE) == case.finished
    assert (case.status is Status.VOID) == (case.outcome is Outcome.VOID)
    assert (case.outcome is None) == (not case.finished)
    assert case.on_hold == bool(case.holds and case.holds[-1][1] is None)
    assert all(end is None or start <= end for start, end in case.holds)
    for (_, end), (following, _) in itertools.pairwise(case.holds):
        assert end is not None
        assert end <= following
    if case.outcome is Outcome.FIXED:
        verified = last_index(events, EventType.VERIFIED)
        assert verified > last_index(events, EventType.REWORK, EventType.REOPENED)
    if case.source.is_public and case.filed_at is not None:
        checked = [e for e in events if e.type is EventType.CHECKED and e.data["passed"]]
        assert checked
        assert checked[0].seq < last_index(events, EventType.FILED) + 1
    assert sum(e.type is EventType.RATED for e in events) <= 1
    assert case.rating is None or 1 <= case.rating <= 5
    assert case.reopen_count <= DEFAULT_REOPEN_POLICY.max_reopens


STEP = st.tuples(
    st.integers(0, 19),  # how the action is picked: see `pick`
    st.sampled_from(GAPS),
    st.sampled_from([0, 0, 0, 0, 1, 2]),  # argument variant: usual, alternative, invalid
    st.sampled_from([CITIZEN] * 9 + ["citizen-8"]),  # the reporter, or someone else
    st.sampled_from([DEPT] * 6 + ["D-PARKS", None]),  # the handler's department
)

# Actions that end a case, go back or change nothing, kept rarer so that walks get deep.
SIDE_ACTIONS = {
    CaseAction.NOTE,
    CaseAction.VOID,
    CaseAction.MERGE_INTO,
    CaseAction.ESCALATE,
    CaseAction.RETURN,
}


def pick(data: st.DataObject, case: Case, now: datetime, mode: int) -> tuple[Position, CaseAction]:
    """Mode 0: any action by any position. Mode 1: anything allowed_actions offers.
    Mode 2-19: what it offers that moves the case on, when there is such a thing."""
    if mode >= 1:
        offers = [(p, CaseAction(a)) for p in Position for a in wf.allowed_actions(case, p, now)]
        onward = [(p, a) for p, a in offers if a not in SIDE_ACTIONS]
        if choices := (onward if mode >= 2 and onward else offers):
            return data.draw(st.sampled_from(choices))
    return data.draw(st.sampled_from(list(Position))), data.draw(st.sampled_from(ACTIONS))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_random_actions_keep_every_case_consistent(data: st.DataObject) -> None:
    log = Log([report_event(data.draw(st.sampled_from(list(Source)), label="source"))])
    for _ in range(data.draw(st.integers(1, 50), label="steps")):
        mode, gap, variant, reporter, dept = data.draw(STEP)
        now = log.now + gap
        position, action = pick(data, log.case, now, mode)
        offered = wf.allowed_actions(log.case, position, now)
        actor = reporter if position is Position.REPORTER else ACTORS[position]
        before = log.case
        event = attempt(action, before, actor, position, now, dept, variant)
        if isinstance(event, DomainError):
            assert not isinstance(event, InvalidHistory)  # the workflow never forges
            if before.finished and action not in FINISHED_ACTIONS:
                assert isinstance(event, Conflict)
            identity_ok = (position is not Position.REPORTER or actor == CITIZEN) and (
                position is not Position.HANDLER or dept == before.department
            )
            valid = variant != 2 or action not in WITH_INVALID_VARIANT
            # What allowed_actions offers is accepted from the right person with good arguments.
            assert not (action in offered and identity_ok and valid), event
            continue
        # ... and nothing it does not offer is ever accepted.
        assert action in offered
        assert not before.finished or action in FINISHED_ACTIONS
        log.now = now
        log.events.append(event)
        log.case = before.apply(event)
        check_invariants(log.case, log.events)
    assert verify_chain(log.events) == []
    hypothesis.event(f"ended {log.case.status}")
    hypothesis.event(f"reached {max(e.to_stage.order for e in log.events if e.to_stage)}")
    for kind in {e.type for e in log.events} & NOTEWORTHY:
        hypothesis.event(f"saw {kind}")


EDITS: list[Callable[[CaseEvent], CaseEvent]] = [
    lambda e: replace(e, reason=e.reason + "!"),
    lambda e: replace(e, actor="someone-else"),
    lambda e: replace(e, at=e.at + timedelta(seconds=1)),
    lambda e: replace(e, data={**e.data, "extra": 1}),
    lambda e: replace(e, attachments=(*e.attachments, "forged.jpg")),
]


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_any_edit_to_a_stored_event_is_detected(data: st.DataObject) -> None:
    log = Log([report_event()])
    for step in range(data.draw(st.integers(1, 25))):
        position = data.draw(st.sampled_from(list(Position)))
        offered = wf.allowed_actions(log.case, position, log.now)
        if offered:
            action = CaseAction(data.draw(st.sampled_from(offered), label=f"action {step}"))
            try:
                log.do(action, position)
            except DomainError:
                continue  # a handler of another department, or similar
    index = data.draw(st.integers(0, len(log.events) - 1))
    edit = data.draw(st.sampled_from(EDITS))
    tampered = [*log.events[:index], edit(log.events[index]), *log.events[index + 1 :]]
    assert verify_chain(tampered) == [
        f"case 1 event {index + 1}: content does not match its hash (edited?)"
    ]
    with pytest.raises(InvalidHistory):
        Case.from_events(tampered)
