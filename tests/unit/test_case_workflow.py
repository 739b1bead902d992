"""The case workflow: each stage, who may act at it, and every way an action is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from civicgrid.domain.cases import workflow as wf
from civicgrid.domain.cases.actions import (
    ALLOWED_ACTIONS,
    REPORT_SOURCES,
    CaseAction,
    markdown_table,
    positions_for,
)
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent, EventType, verify_chain
from civicgrid.domain.cases.guards import ReopenPolicy, position_label
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Source, Stage
from civicgrid.domain.cases.state import InvalidHistory, Status
from civicgrid.domain.errors import Conflict, Forbidden, InvalidInput
from tests.unit.case_workflow_helpers import (
    ACTORS,
    CITIZEN,
    DEPT,
    T0,
    Log,
    case_at,
    report_event,
)

A, P = CaseAction, Position


def ready_for(stage: Stage, action: CaseAction) -> Log:
    """A case at `stage` where `action` would be accepted from an allowed position."""
    source = Source.SENSOR if action is A.CLOSE else Source.CITIZEN
    log = case_at(stage, source)
    if action is A.FILE:
        log.do(A.CHECK, P.INSPECTOR)
    if action is A.DECIDE_EXTENSION:
        log.do(A.REQUEST_EXTENSION, P.HANDLER)
    if action in {A.DECIDE_HOLD, A.RELEASE_HOLD}:
        log.do(A.REQUEST_HOLD, P.HANDLER)
    if action is A.RELEASE_HOLD:
        log.do(A.DECIDE_HOLD, P.SHIFT_LEADER)
    return log


MATRIX = [
    (stage, action, position)
    for (stage, action) in ALLOWED_ACTIONS
    if action is not A.REPORT
    for position in Position
]


@pytest.mark.parametrize(("stage", "action", "position"), MATRIX)
def test_each_position_may_take_exactly_the_actions_the_table_gives_it(
    stage: Stage, action: CaseAction, position: Position
) -> None:
    log = ready_for(stage, action)
    offered = wf.allowed_actions(log.case, position)
    involved = position is not P.HANDLER or log.case.department is not None
    assert involved or not offered
    if position in positions_for(stage, action) and involved:
        assert action.value in offered
        event = log.do(action, position)
        assert log.case.last_seq == event.seq
    elif position in positions_for(stage, action):
        with pytest.raises(Forbidden, match="not dispatched"):
            log.attempt(action, position)
    else:
        with pytest.raises(Forbidden) as refused:
            log.attempt(action, position)
        message = refused.value.message
        assert position_label(position) in message
        assert action.verb in message
        assert stage.name_zh in message
        assert action.value not in offered


WRONG_STAGE = [
    (stage, action)
    for action in CaseAction
    if action is not A.REPORT
    for stage in Stage
    if (stage, action) not in ALLOWED_ACTIONS
]


@pytest.mark.parametrize(("stage", "action"), WRONG_STAGE)
def test_an_action_at_a_stage_where_nobody_takes_it_is_a_conflict(
    stage: Stage, action: CaseAction
) -> None:
    someone = min(
        (p for (_, a), ps in ALLOWED_ACTIONS.items() if a is action for p in ps),
        key=list(Position).index,
    )
    log = case_at(stage)
    with pytest.raises(Conflict):
        log.attempt(action, someone)


def test_the_forbidden_message_names_position_action_stage_and_who_may() -> None:
    log = case_at(Stage.FILE, Source.GRID_WORKER)
    with pytest.raises(Forbidden) as refused:
        log.attempt(A.FILE, P.DISPATCHER)
    assert refused.value.message == (
        "a dispatcher cannot file a case at 案卷建立 (file); filing (立案) is for the shift leader"
    )


@pytest.mark.parametrize("source", list(Source))
@pytest.mark.parametrize("position", list(Position))
def test_each_position_reports_only_under_its_own_sources(
    position: Position, source: Source
) -> None:
    def report() -> CaseEvent:
        return wf.report(
            5,
            CITIZEN if position is P.REPORTER else ACTORS[position],
            position,
            T0,
            category="road.pothole",
            source=source,
            area_code="01",
            area_path="/4101/01/",
            description="pothole",
        )

    if source in REPORT_SOURCES[position]:
        assert Case.from_events([report()]).stage is Stage.COLLECT
    else:
        with pytest.raises(Forbidden, match=f"cannot report a {source} case"):
            report()


def test_a_citizen_report_goes_through_all_seven_stages() -> None:
    log = case_at(Stage.VERIFY_CLOSE)
    log.do(A.VERIFY, P.INSPECTOR)
    log.do(A.CLOSE, P.SHIFT_LEADER)
    log.do(A.RATE, P.REPORTER)
    case = log.case
    assert [e.type for e in log.events] == [
        EventType.REPORTED,
        EventType.ACCEPTED,
        EventType.CHECKED,
        EventType.FILED,
        EventType.DISPATCHED,
        EventType.HANDLED,
        EventType.FEEDBACK_FORWARDED,
        EventType.VERIFIED,
        EventType.CLOSED,
        EventType.RATED,
    ]
    assert (case.stage, case.status, case.outcome) == (Stage.EVALUATE, Status.CLOSED, Outcome.FIXED)
    assert (case.department, case.rating, case.checked, case.verified) == (DEPT, 4, True, True)
    assert case.reported_at == T0
    assert case.filed_at == T0 + timedelta(minutes=30)
    assert case.dispatched_at == T0 + timedelta(minutes=40)
    assert case.first_handled_at == case.last_handled_at == T0 + timedelta(minutes=50)
    assert case.closed_at == T0 + timedelta(minutes=80)
    assert case.stage_entered_at == case.closed_at
    assert case.attachments == ("photo-1", "after.jpg")
    assert case.result == "filled the pothole"
    assert (case.last_seq, case.last_hash) == (10, log.events[-1].hash)
    assert Case.from_events(log.events) == case
    assert verify_chain(log.events) == []


def test_events_link_into_a_chain_that_shows_an_edit() -> None:
    log = case_at(Stage.EVALUATE)
    assert [e.prev_hash for e in log.events[1:]] == [e.hash for e in log.events[:-1]]
    edited = list(log.events)
    edited[4] = replace(edited[4], data={"department": "D-ELSEWHERE"})
    assert verify_chain(edited) == ["case 1 event 5: content does not match its hash (edited?)"]
    with pytest.raises(InvalidHistory, match="event 5"):
        Case.from_events(edited)


@pytest.mark.parametrize(
    ("events", "match"),
    [
        (lambda ev: [], "at least"),
        (lambda ev: ev[1:], "starts with REPORTED"),
        (lambda ev: [ev[0], ev[2]], "does not follow"),
        (lambda ev: [ev[0], replace(ev[1], case_id=2).sealed()], "belongs to case 2"),
        (lambda ev: [ev[0], ev[1], ev[1]], "does not follow"),
    ],
)
def test_a_broken_history_does_not_fold(
    events: Callable[[list[CaseEvent]], list[CaseEvent]], match: str
) -> None:
    log = case_at(Stage.DISPATCH)
    with pytest.raises(InvalidHistory, match=match):
        Case.from_events(events(log.events))


def test_a_sealed_history_that_breaks_the_rules_does_not_fold() -> None:
    """Forged but well-chained: closed as fixed with no verification."""
    log = case_at(Stage.VERIFY_CLOSE)
    last = log.events[-1]
    forged = replace(
        last,
        seq=last.seq + 1,
        type=EventType.CLOSED,
        from_stage=Stage.VERIFY_CLOSE,
        to_stage=Stage.EVALUATE,
        data={"outcome": "fixed"},
        prev_hash=last.hash,
    ).sealed()
    with pytest.raises(InvalidHistory, match="without verification"):
        log.case.apply(forged)


def test_a_public_report_is_filed_only_after_its_on_site_check() -> None:
    log = case_at(Stage.FILE, Source.HOTLINE)
    with pytest.raises(Conflict, match="on-site check"):
        log.attempt(A.FILE, P.SHIFT_LEADER)
    assert "file" not in wf.allowed_actions(log.case, P.SHIFT_LEADER)
    log.do(A.CHECK, P.INSPECTOR)
    with pytest.raises(Conflict, match="already checked"):
        log.attempt(A.CHECK, P.INSPECTOR)
    log.do(A.FILE, P.SHIFT_LEADER)
    assert log.case.stage is Stage.DISPATCH


def test_a_grid_workers_report_is_filed_without_a_check() -> None:
    log = case_at(Stage.FILE, Source.GRID_WORKER)
    log.do(A.FILE, P.SHIFT_LEADER)
    assert (log.case.stage, log.case.checked) == (Stage.DISPATCH, False)


def test_a_failed_check_needs_a_reason_and_voids_the_case() -> None:
    log = case_at(Stage.FILE)
    with pytest.raises(InvalidInput, match="reason"):
        log.attempt(A.CHECK, P.INSPECTOR, variant=2)
    log.do(A.CHECK, P.INSPECTOR, variant=1)
    case = log.case
    assert (case.stage, case.status, case.outcome) == (Stage.EVALUATE, Status.VOID, Outcome.VOID)
    assert log.events[-1].reason == "nothing there"
    with pytest.raises(Conflict, match="only rating, reopening and notes remain"):
        log.attempt(A.FILE, P.SHIFT_LEADER)
    assert wf.allowed_actions(case, P.REPORTER) == ["rate", "note"]  # never dispatched


def test_failed_verification_sends_the_work_back_and_fixed_needs_a_new_pass() -> None:
    log = case_at(Stage.VERIFY_CLOSE)
    with pytest.raises(InvalidInput, match="note"):
        log.attempt(A.VERIFY, P.INSPECTOR, variant=2)
    log.do(A.VERIFY, P.INSPECTOR, variant=1)
    assert (log.case.stage, log.case.rework_count, log.case.verified) == (Stage.HANDLE, 1, False)
    log.do(A.HANDLE, P.HANDLER)
    log.do(A.FORWARD_FEEDBACK, P.DISPATCHER)
    with pytest.raises(Conflict, match="verification"):
        wf.close(log.case, "lead-zhao", P.SHIFT_LEADER, log.now, Outcome.FIXED)
    log.do(A.VERIFY, P.INSPECTOR)
    with pytest.raises(Conflict, match="already verified"):
        log.attempt(A.VERIFY, P.INSPECTOR)
    log.do(A.CLOSE, P.SHIFT_LEADER)
    assert log.case.outcome is Outcome.FIXED
    assert log.case.last_handled_at != log.case.first_handled_at


@pytest.mark.parametrize(
    ("position", "outcome", "error", "match"),
    [
        (P.SHIFT_LEADER, Outcome.CLOSED_NOT_FIXED, InvalidInput, "reason is required"),
        (P.SHIFT_LEADER, Outcome.DUPLICATE, InvalidInput, "merge_into"),
        (P.SHIFT_LEADER, Outcome.VOID, InvalidInput, "through void"),
        (P.SHIFT_LEADER, Outcome.RESOLVED_BY_SENSOR, Forbidden, "is for the system"),
        (P.SYSTEM, Outcome.FIXED, Forbidden, "only as resolved_by_sensor"),
        (P.SYSTEM, Outcome.CLOSED_NOT_FIXED, Forbidden, "only as resolved_by_sensor"),
    ],
)
def test_close_keeps_outcomes_apart(
    position: Position, outcome: Outcome, error: type[Exception], match: str
) -> None:
    log = case_at(Stage.VERIFY_CLOSE, Source.SENSOR)
    with pytest.raises(error, match=match):
        wf.close(log.case, ACTORS[position], position, log.now, outcome)


def test_the_system_resolves_a_sensor_case_at_any_open_stage_but_not_a_citizens() -> None:
    log = case_at(Stage.DISPATCH, Source.SENSOR)
    event = wf.close(log.case, "system", P.SYSTEM, log.now, Outcome.RESOLVED_BY_SENSOR, "cleared")
    assert log.case.apply(event).outcome is Outcome.RESOLVED_BY_SENSOR
    citizen = case_at(Stage.DISPATCH)
    with pytest.raises(Conflict, match="only sensor cases"):
        wf.close(citizen.case, "system", P.SYSTEM, citizen.now, Outcome.RESOLVED_BY_SENSOR, "x")
    with pytest.raises(Forbidden, match="cannot close a case at 任务派遣"):
        citizen.attempt(A.CLOSE, P.SHIFT_LEADER)


def test_the_reporter_rates_once_from_1_to_5() -> None:
    log = case_at(Stage.EVALUATE)
    for bad in (0, 6, True, 4.5):
        with pytest.raises(InvalidInput, match="1 to 5"):
            wf.rate(log.case, CITIZEN, P.REPORTER, log.now, bad)  # type: ignore[arg-type]
    with pytest.raises(Forbidden, match="only the person who reported"):
        log.attempt(A.RATE, P.REPORTER, actor="citizen-8")
    log.do(A.RATE, P.REPORTER, variant=1)
    with pytest.raises(Conflict, match="already rated 1"):
        log.attempt(A.RATE, P.REPORTER)
    assert log.case.rating == 1


def test_an_open_case_cannot_be_rated() -> None:
    with pytest.raises(Conflict, match="综合评价"):
        case_at(Stage.HANDLE).attempt(A.RATE, P.REPORTER)


def test_reopening_sends_the_case_back_to_its_department_within_the_window() -> None:
    log = case_at(Stage.EVALUATE)
    closed_at = log.case.closed_at
    assert closed_at is not None
    event = wf.reopen(log.case, CITIZEN, P.REPORTER, closed_at + timedelta(days=7), "still there")
    case = log.case.apply(event)
    assert (case.stage, case.status, case.outcome, case.closed_at) == (
        Stage.HANDLE,
        Status.OPEN,
        None,
        None,
    )
    assert (case.department, case.reopen_count, case.stage_entered_at) == (DEPT, 1, event.at)
    late = closed_at + timedelta(days=7, seconds=1)
    with pytest.raises(Conflict, match="7-day window"):
        wf.reopen(log.case, CITIZEN, P.REPORTER, late, "still there")
    assert "reopen" in wf.allowed_actions(log.case, P.REPORTER)
    assert "reopen" not in wf.allowed_actions(log.case, P.REPORTER, late)
    longer = ReopenPolicy(window_days=30)
    assert wf.reopen(log.case, CITIZEN, P.REPORTER, late, "still there", policy=longer)


def test_a_case_is_reopened_at_most_max_reopens_times() -> None:
    log = case_at(Stage.EVALUATE)
    log.do(A.REOPEN, P.REPORTER)
    for action, position in [
        (A.HANDLE, P.HANDLER),
        (A.FORWARD_FEEDBACK, P.DISPATCHER),
        (A.CLOSE, P.SHIFT_LEADER),
    ]:
        log.do(action, position)
    with pytest.raises(Conflict, match="the limit is 1"):
        log.attempt(A.REOPEN, P.REPORTER)
    twice = ReopenPolicy(max_reopens=2)
    assert wf.reopen(log.case, CITIZEN, P.REPORTER, log.now, "again", policy=twice)


@pytest.mark.parametrize(("variant", "score", "reopens"), [(0, 4, False), (1, 1, True)])
def test_a_fixed_case_rated_satisfied_stays_closed_a_dissatisfied_one_reopens(
    variant: int, score: int, reopens: bool
) -> None:
    log = case_at(Stage.VERIFY_CLOSE)
    log.do(A.VERIFY, P.INSPECTOR)
    log.do(A.CLOSE, P.SHIFT_LEADER)
    log.do(A.RATE, P.REPORTER, variant=variant)
    assert (log.case.outcome, log.case.rating) == (Outcome.FIXED, score)
    if reopens:
        log.do(A.REOPEN, P.REPORTER)
    else:
        with pytest.raises(Conflict, match="satisfied"):
            log.attempt(A.REOPEN, P.REPORTER)


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda log: log.do(A.MERGE_INTO, P.SHIFT_LEADER), "merged into case 99"),
        (lambda log: log.do(A.VOID, P.SHIFT_LEADER), "never dispatched"),
    ],
)
def test_a_duplicate_or_an_undispatched_case_cannot_be_reopened(
    build: Callable[[Log], object], match: str
) -> None:
    log = case_at(Stage.DISPATCH)
    build(log)
    with pytest.raises(Conflict, match=match):
        log.attempt(A.REOPEN, P.REPORTER)


def test_reopening_needs_a_reason() -> None:
    with pytest.raises(InvalidInput, match="reason"):
        case_at(Stage.EVALUATE).attempt(A.REOPEN, P.REPORTER, variant=2)


@pytest.mark.parametrize(
    ("stage", "position"),
    [
        (Stage.FILE, P.SHIFT_LEADER),
        (Stage.DISPATCH, P.DISPATCHER),
        (Stage.HANDLE, P.HANDLER),
        (Stage.FEEDBACK, P.DISPATCHER),
        (Stage.VERIFY_CLOSE, P.INSPECTOR),
        (Stage.VERIFY_CLOSE, P.SHIFT_LEADER),
    ],
)
def test_a_case_returns_one_stage_with_a_reason(stage: Stage, position: Position) -> None:
    log = case_at(stage)
    with pytest.raises(InvalidInput, match="reason"):
        log.attempt(A.RETURN, position, variant=2)
    event = log.do(A.RETURN, position)
    assert (event.from_stage, event.to_stage) == (stage, stage.previous())
    assert log.case.stage_entered_at == event.at


def test_returning_from_verification_drops_the_pass() -> None:
    log = case_at(Stage.VERIFY_CLOSE)
    log.do(A.VERIFY, P.INSPECTOR)
    log.do(A.RETURN, P.SHIFT_LEADER)
    log.do(A.FORWARD_FEEDBACK, P.DISPATCHER)
    assert not log.case.verified


def test_an_extension_is_requested_by_the_handler_and_granted_by_the_shift_leader() -> None:
    log = case_at(Stage.HANDLE)
    with pytest.raises(Conflict, match="no extension request"):
        log.attempt(A.DECIDE_EXTENSION, P.SHIFT_LEADER)
    with pytest.raises(InvalidInput, match="positive number"):
        log.attempt(A.REQUEST_EXTENSION, P.HANDLER, variant=2)
    log.do(A.REQUEST_EXTENSION, P.HANDLER)
    with pytest.raises(Conflict, match="already has an extension request"):
        log.attempt(A.REQUEST_EXTENSION, P.HANDLER)
    decided = log.do(A.DECIDE_EXTENSION, P.SHIFT_LEADER)
    assert decided.actor == "lead-zhao"
    assert decided.data == {"approved": True, "working_seconds": 3600, "requested_by": "roads-liu"}
    log.do(A.REQUEST_EXTENSION, P.HANDLER, variant=1)
    log.do(A.DECIDE_EXTENSION, P.SHIFT_LEADER, variant=1)  # refused
    assert log.case.extensions == ((Stage.HANDLE, 3600),)
    assert log.case.extension_seconds(Stage.HANDLE) == 3600
    assert log.case.extension_seconds(Stage.FEEDBACK) == 0


def test_a_pending_request_lapses_when_the_stage_changes() -> None:
    log = case_at(Stage.HANDLE)
    log.do(A.REQUEST_EXTENSION, P.HANDLER)
    log.do(A.REQUEST_HOLD, P.HANDLER)
    log.do(A.HANDLE, P.HANDLER)
    assert (log.case.pending_extension, log.case.hold_requested) == (None, False)


def test_a_hold_stops_the_work_and_its_interval_is_recorded() -> None:
    log = case_at(Stage.HANDLE)
    log.do(A.REQUEST_HOLD, P.HANDLER)
    log.do(A.DECIDE_HOLD, P.SHIFT_LEADER, variant=1)  # refused
    assert log.case.status is Status.OPEN
    log.do(A.REQUEST_HOLD, P.HANDLER)
    start = log.do(A.DECIDE_HOLD, P.SHIFT_LEADER).at
    assert (log.case.status, log.case.holds) == (Status.ON_HOLD, ((start, None),))
    for action, position in [(A.HANDLE, P.HANDLER), (A.ESCALATE, P.SYSTEM)]:
        with pytest.raises(Conflict, match="on hold"):
            log.attempt(action, position)
    assert wf.allowed_actions(log.case, P.HANDLER) == ["release_hold", "note"]
    end = log.do(A.RELEASE_HOLD, P.HANDLER, after=timedelta(hours=5)).at
    assert (log.case.status, log.case.holds) == (Status.OPEN, ((start, end),))
    assert log.case.held_seconds(T0, end + timedelta(days=1)) == 5 * 3600
    with pytest.raises(Conflict, match="not on hold"):
        log.attempt(A.RELEASE_HOLD, P.SHIFT_LEADER)


def test_voiding_a_case_on_hold_ends_the_hold() -> None:
    log = ready_for(Stage.HANDLE, A.RELEASE_HOLD)
    voided = log.do(A.VOID, P.SHIFT_LEADER)
    assert log.case.holds[-1][1] == voided.at
    assert (log.case.status, log.case.outcome) == (Status.VOID, Outcome.VOID)


def test_voiding_needs_a_reason_and_an_open_case() -> None:
    log = case_at(Stage.COLLECT)
    with pytest.raises(InvalidInput, match="reason"):
        log.attempt(A.VOID, P.SHIFT_LEADER, variant=2)
    log.do(A.VOID, P.SHIFT_LEADER)
    with pytest.raises(Conflict, match="is void"):
        log.attempt(A.VOID, P.SHIFT_LEADER)


def test_merging_closes_as_a_duplicate_of_another_case() -> None:
    log = case_at(Stage.FILE)
    with pytest.raises(InvalidInput, match="another case"):
        log.attempt(A.MERGE_INTO, P.ACCEPTOR, variant=2)
    log.do(A.MERGE_INTO, P.ACCEPTOR)
    assert (log.case.status, log.case.outcome, log.case.merged_into) == (
        Status.CLOSED,
        Outcome.DUPLICATE,
        99,
    )


def test_escalation_raises_the_level_without_moving_the_stage() -> None:
    log = case_at(Stage.DISPATCH)
    log.do(A.ESCALATE, P.SYSTEM)
    log.do(A.ESCALATE, P.SYSTEM)
    assert (log.case.escalation_level, log.case.stage) == (2, Stage.DISPATCH)
    with pytest.raises(Conflict, match="already escalated to level 2"):
        wf.escalate(log.case, "system", P.SYSTEM, log.now, 2, "late")
    for bad in (0, 6):
        with pytest.raises(InvalidInput, match="level"):
            wf.escalate(log.case, "system", P.SYSTEM, log.now, bad, "late")


def test_anyone_involved_adds_notes_even_after_closing() -> None:
    log = case_at(Stage.EVALUATE)
    for position in Position:
        log.do(A.NOTE, position)
    with pytest.raises(InvalidInput, match="text or an attachment"):
        log.attempt(A.NOTE, P.INSPECTOR, variant=2)
    assert wf.note(log.case, "insp-li", P.INSPECTOR, log.now, "", ("photo-9",))


def test_a_handler_acts_only_for_the_department_the_case_went_to() -> None:
    log = case_at(Stage.HANDLE)
    with pytest.raises(Forbidden, match="handler for D-PARKS cannot handle case 1"):
        log.attempt(A.HANDLE, P.HANDLER, dept="D-PARKS")
    with pytest.raises(Forbidden, match="no department"):
        log.attempt(A.HANDLE, P.HANDLER, dept=None)
    with pytest.raises(Forbidden, match="not dispatched"):
        case_at(Stage.DISPATCH).attempt(A.NOTE, P.HANDLER)


def test_now_must_be_aware_and_not_before_the_last_event() -> None:
    log = case_at(Stage.COLLECT)
    with pytest.raises(InvalidInput, match="timezone-aware"):
        wf.accept(log.case, "acc-wang", P.ACCEPTOR, datetime(2025, 3, 3, 9))  # noqa: DTZ001
    with pytest.raises(InvalidInput, match="before case 1's last event"):
        wf.accept(log.case, "acc-wang", P.ACCEPTOR, T0 - timedelta(seconds=1))
    beijing = (T0 + timedelta(hours=1)).astimezone(timezone(timedelta(hours=8)))
    event = wf.accept(log.case, "acc-wang", P.ACCEPTOR, beijing)
    assert event.at == beijing
    assert event.at.tzinfo is UTC


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"case_id": 0}, "case_id"),
        ({"category": " "}, "category"),
        ({"area_path": "/4101/02/"}, "area_path"),
        ({"description": ""}, "description"),
        ({"location": (200.0, 34.0)}, "location"),
        ({"attachments": ("",)}, "attachments"),
    ],
)
def test_a_report_with_bad_arguments_is_refused(changes: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {
        "case_id": 1,
        "actor": "insp-li",
        "position": P.INSPECTOR,
        "now": T0,
        "category": "road.pothole",
        "source": Source.GRID_WORKER,
        "area_code": "01",
        "area_path": "/4101/01/",
        "description": "pothole",
    }
    with pytest.raises(InvalidInput) as refused:
        wf.report(**(arguments | changes))  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_reporter_reports_only_as_themselves() -> None:
    with pytest.raises(Forbidden, match="as themselves"):
        wf.report(
            1,
            CITIZEN,
            P.REPORTER,
            T0,
            category="c",
            source=Source.CITIZEN,
            area_code="01",
            area_path="/4101/01/",
            description="d",
            reporter_ref="citizen-8",
        )
    assert report_event().data["reporter_ref"] == CITIZEN


def test_allowed_actions_offers_each_position_its_next_steps() -> None:
    log = case_at(Stage.FILE)
    assert wf.allowed_actions(log.case, P.INSPECTOR) == ["check", "note"]
    assert wf.allowed_actions(log.case, P.SHIFT_LEADER) == [
        "return_to_previous",
        "void",
        "merge_into",
        "note",
    ]
    log.do(A.CHECK, P.INSPECTOR)
    assert wf.allowed_actions(log.case, P.SHIFT_LEADER)[0] == "file"
    assert wf.allowed_actions(case_at(Stage.EVALUATE).case, P.REPORTER) == [
        "rate",
        "reopen",
        "note",
    ]


def test_the_table_renders_for_the_docs() -> None:
    table = markdown_table()
    assert table.count("\n") == len(CaseAction) + 2
    assert "| file | – | shift_leader | – |" in table
    assert (Stage.EVALUATE, A.NOTE) in ALLOWED_ACTIONS
    assert T0.tzinfo is UTC
