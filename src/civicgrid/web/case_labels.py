"""Names of a case's stages, events, actions, lights and data in the page's language.

Messages are marked with `N_` for extraction and translated when a page asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.categories import CategoryTree
from civicgrid.domain.cases.events import EventType
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.sla import Light
from civicgrid.domain.cases.stages import Outcome, Stage
from civicgrid.domain.errors import DomainError
from civicgrid.web.page import Page


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    return message


STAGES = {
    Stage.COLLECT: N_("Collecting"),
    Stage.FILE: N_("Filing"),
    Stage.DISPATCH: N_("Dispatching"),
    Stage.HANDLE: N_("Handling"),
    Stage.FEEDBACK: N_("Feedback"),
    Stage.VERIFY_CLOSE: N_("Verifying and closing"),
    Stage.EVALUATE: N_("Evaluation"),
}

EVENTS = {
    EventType.REPORTED: N_("Reported"),
    EventType.ACCEPTED: N_("Accepted"),
    EventType.CHECKED: N_("Checked on site"),
    EventType.FILED: N_("Filed"),
    EventType.DISPATCHED: N_("Dispatched"),
    EventType.HANDLED: N_("Handled"),
    EventType.FEEDBACK_FORWARDED: N_("Feedback forwarded"),
    EventType.VERIFIED: N_("Verified"),
    EventType.REWORK: N_("Sent back for rework"),
    EventType.CLOSED: N_("Closed"),
    EventType.RATED: N_("Rated"),
    EventType.REOPENED: N_("Reopened"),
    EventType.RETURNED: N_("Returned"),
    EventType.EXTENSION_REQUESTED: N_("Extension requested"),
    EventType.EXTENSION_DECIDED: N_("Extension decided"),
    EventType.HOLD_REQUESTED: N_("Hold requested"),
    EventType.HOLD_DECIDED: N_("Hold decided"),
    EventType.HOLD_RELEASED: N_("Hold released"),
    EventType.VOIDED: N_("Voided"),
    EventType.MERGED: N_("Merged as a duplicate"),
    EventType.ESCALATED: N_("Escalated"),
    EventType.NOTED: N_("Note"),
}

ACTIONS = {
    CaseAction.ACCEPT: N_("Accept"),
    CaseAction.CHECK: N_("On-site check"),
    CaseAction.FILE: N_("File"),
    CaseAction.DISPATCH: N_("Dispatch to a department"),
    CaseAction.HANDLE: N_("Report the work done"),
    CaseAction.FORWARD_FEEDBACK: N_("Forward for verification"),
    CaseAction.VERIFY: N_("Verify on site"),
    CaseAction.CLOSE: N_("Close"),
    CaseAction.RATE: N_("Rate"),
    CaseAction.REOPEN: N_("Reopen"),
    CaseAction.RETURN: N_("Return to the previous stage"),
    CaseAction.REQUEST_EXTENSION: N_("Ask for more time"),
    CaseAction.DECIDE_EXTENSION: N_("Decide the extension"),
    CaseAction.REQUEST_HOLD: N_("Ask to put on hold"),
    CaseAction.DECIDE_HOLD: N_("Decide the hold"),
    CaseAction.RELEASE_HOLD: N_("Release the hold"),
    CaseAction.VOID: N_("Void"),
    CaseAction.MERGE_INTO: N_("Merge into another case"),
    CaseAction.ESCALATE: N_("Escalate"),
    CaseAction.NOTE: N_("Add a note"),
}

LIGHTS = {
    Light.NORMAL: N_("On time"),
    Light.WARNING: N_("Due soon"),
    Light.OVERDUE: N_("Overdue"),
}

POSITIONS = {
    Position.INSPECTOR: N_("Grid worker"),
    Position.ACCEPTOR: N_("Case acceptor"),
    Position.SHIFT_LEADER: N_("Shift leader"),
    Position.DISPATCHER: N_("Dispatcher"),
    Position.HANDLER: N_("Department"),
    Position.REPORTER: N_("Reporter"),
    Position.SYSTEM: N_("System"),
}

OUTCOMES = {
    Outcome.FIXED: N_("Fixed"),
    Outcome.CLOSED_NOT_FIXED: N_("Closed, not fixed"),
    Outcome.DUPLICATE: N_("Duplicate"),
    Outcome.VOID: N_("Void"),
    Outcome.RESOLVED_BY_SENSOR: N_("Resolved by the sensor"),
}

STATUSES = {
    "open": N_("Open"),
    "on_hold": N_("On hold"),
    "closed": N_("Closed"),
    "void": N_("Void"),
}


@dataclass(frozen=True, slots=True)
class CaseLabels:
    page: Page
    tree: CategoryTree

    def stage(self, stage: Stage | None) -> str:
        return self.page.gettext(STAGES[stage]) if stage is not None else ""

    def event(self, kind: EventType) -> str:
        return self.page.gettext(EVENTS[kind])

    def action(self, action: CaseAction) -> str:
        return self.page.gettext(ACTIONS[action])

    def position(self, position: Position) -> str:
        return self.page.gettext(POSITIONS[position])

    def light(self, light: Light | None) -> str:
        return self.page.gettext(LIGHTS[light]) if light is not None else ""

    def outcome(self, outcome: Outcome | None) -> str:
        return self.page.gettext(OUTCOMES[outcome]) if outcome is not None else ""

    def status(self, status: str) -> str:
        return self.page.gettext(STATUSES[status]) if status in STATUSES else status

    def category(self, key: str) -> str:
        try:
            minor = self.tree.minor(key)
        except DomainError:
            return key
        return self.page.name(minor.name_zh, minor.name_en)

    def department(self, code: str | None) -> str:
        for department in self.tree.departments:
            if department.code == code:
                return self.page.name(department.name_zh, department.name_en)
        return code or ""

    def departments(self) -> list[tuple[str, str]]:
        return [(d.code, self.page.name(d.name_zh, d.name_en)) for d in self.tree.departments]
