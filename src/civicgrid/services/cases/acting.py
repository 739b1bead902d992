"""Every workflow action after the report: one use case, the guard, the state machine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.cases import controls, workflow
from civicgrid.domain.cases.actions import CaseAction, positions_for
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.duplicates import check_merge_target
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.positions import positions_at
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.errors import Forbidden, InvalidInput
from civicgrid.services.attachments import attach_to_case
from civicgrid.services.case_ports import CaseRules
from civicgrid.services.cases.duplicates import notify_merge
from civicgrid.services.cases.intake import access_case
from civicgrid.services.cases.ticking import schedule_for
from civicgrid.services.feed import FeedPublisher, publish_case_event
from civicgrid.services.ports import UnitOfWork

ActionFunction = Callable[..., CaseEvent]

TAKES_DEPARTMENT = frozenset(
    {
        CaseAction.HANDLE,
        CaseAction.RETURN,
        CaseAction.REQUEST_EXTENSION,
        CaseAction.REQUEST_HOLD,
        CaseAction.RELEASE_HOLD,
        CaseAction.NOTE,
    }
)
"""Actions a handler takes for its own department only; they are told which one."""

ACTIONS: dict[CaseAction, ActionFunction] = {
    CaseAction.ACCEPT: workflow.accept,
    CaseAction.CHECK: workflow.check,
    CaseAction.FILE: workflow.file,
    CaseAction.DISPATCH: workflow.dispatch,
    CaseAction.HANDLE: workflow.handle,
    CaseAction.FORWARD_FEEDBACK: workflow.forward_feedback,
    CaseAction.VERIFY: workflow.verify,
    CaseAction.CLOSE: workflow.close,
    CaseAction.RATE: workflow.rate,
    CaseAction.REOPEN: workflow.reopen,
    CaseAction.RETURN: controls.return_to_previous,
    CaseAction.REQUEST_EXTENSION: controls.request_extension,
    CaseAction.DECIDE_EXTENSION: controls.decide_extension,
    CaseAction.REQUEST_HOLD: controls.request_hold,
    CaseAction.DECIDE_HOLD: controls.decide_hold,
    CaseAction.RELEASE_HOLD: controls.release_hold,
    CaseAction.VOID: controls.void,
    CaseAction.MERGE_INTO: controls.merge_into,
    CaseAction.NOTE: controls.note,
}
"""Actions people take. REPORT opens a case (intake) and ESCALATE is the scheduler's."""


def act_on_case(
    uow: UnitOfWork,
    rules: CaseRules,
    principal: Principal,
    case_id: int,
    action: CaseAction,
    *,
    now: datetime,
    args: dict[str, Any] | None = None,
    feed: FeedPublisher | None = None,
) -> Case:
    """Take `action` on a case in the caller's position; the state machine decides."""
    function = ACTIONS.get(action)
    if function is None:
        raise InvalidInput(f"{action.value} is not an action a person takes", field="action")
    with uow:
        case = access_case(uow, principal, case_id, Action.OPERATE)
        position, department = _position_for(principal, case, action)
        kwargs = dict(args or {})
        attach_to_case(uow, principal, case_id, kwargs.get("attachments", ()))
        if action in TAKES_DEPARTMENT:
            kwargs["actor_department"] = department or None
        try:
            event = function(case, principal.username, position, now, **kwargs)
        except TypeError as exc:  # an argument the action does not take, or one missing
            raise InvalidInput(f"{action.value}: {exc}", field="args") from exc
        if action is CaseAction.MERGE_INTO:  # merge_into checked this case; now the other
            check_merge_target(case, access_case(uow, principal, event.data["into"], Action.READ))
        updated = case.apply(event)
        uow.cases.append(updated, event, schedule_for(rules, updated))
        uow.commit()
    publish_case_event(feed, updated, event)
    if action is CaseAction.MERGE_INTO:
        notify_merge(uow, updated, now=now)
    return updated


def _position_for(principal: Principal, case: Case, action: CaseAction) -> tuple[Position, str]:
    held = positions_at(principal, case.area_path, department=case.department)
    if not held:
        raise Forbidden(
            f"{principal.username} holds no workflow position for case {case.id}; "
            f"{action.noun} needs one"
        )
    allowed = positions_for(case.stage, action)
    for position, grant in held.items():
        if position in allowed:
            return position, grant.department
    # None fits: let the state machine refuse, with its message naming who may.
    position, grant = next(iter(held.items()))
    return position, grant.department
