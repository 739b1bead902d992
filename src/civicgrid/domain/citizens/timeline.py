"""The public timeline of a case: what happened, never who did it or how to reach them.

Staff names, internal notes, extensions and escalations stay inside; reporters' own
words on rating or reopening stay out too (they may name people). What is public: the
stages passed, the department it went to, the department's result and why it closed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.stages import Outcome, Stage
from civicgrid.domain.cases.state import Status

OPEN311_NOTE_ACTOR = "open311:"
"""Notes posted by an Open311 client (servicerequestupdates) are public already."""

OUTCOME_LABELS = {
    Outcome.FIXED: ("已解决", "fixed"),
    Outcome.CLOSED_NOT_FIXED: ("已结案（未解决）", "closed, not fixed"),
    Outcome.DUPLICATE: ("重复上报", "duplicate"),
    Outcome.VOID: ("已作废", "void"),
    Outcome.RESOLVED_BY_SENSOR: ("传感器确认恢复", "resolved by sensor"),
}

_LABELS: dict[EventType, tuple[str, str]] = {
    EventType.REPORTED: ("已上报", "reported"),
    EventType.ACCEPTED: ("已受理", "accepted"),
    EventType.CHECKED: ("已现场核实", "checked on site"),
    EventType.FILED: ("已立案", "filed"),
    EventType.DISPATCHED: ("已派遣", "dispatched"),
    EventType.HANDLED: ("已处置", "handled"),
    EventType.REWORK: ("核查未通过，返工", "sent back for more work"),
    EventType.CLOSED: ("已结案", "closed"),
    EventType.RATED: ("报告人已评价", "rated by the reporter"),
    EventType.REOPENED: ("报告人要求重办", "reopened by the reporter"),
    EventType.VOIDED: ("已作废", "voided"),
    EventType.MERGED: ("已合并到其他案件", "merged into another case"),
    EventType.HOLD_DECIDED: ("挂账审批", "hold decided"),
    EventType.HOLD_RELEASED: ("解除挂账", "hold released"),
    EventType.NOTED: ("更新", "update"),
}


_FINISHED = frozenset({Status.CLOSED.value, Status.VOID.value})


@dataclass(frozen=True, slots=True)
class PublicEntry:
    seq: int
    at: datetime
    kind: str  # the event type
    stage: Stage
    label_zh: str
    label_en: str
    text: str  # public detail, may be empty


def public_status(status: str) -> str:
    """Open311's two statuses: a case on hold is still open."""
    return "closed" if status in _FINISHED else "open"


def public_timeline(
    events: Sequence[CaseEvent], department_name: Callable[[str], str]
) -> list[PublicEntry]:
    entries = []
    for event in events:
        text = _public_text(event, department_name)
        if text is None:
            continue
        label_zh, label_en = _LABELS[event.type]
        stage = event.to_stage or event.from_stage or Stage.COLLECT
        entries.append(
            PublicEntry(event.seq, event.at, event.type.value, stage, label_zh, label_en, text)
        )
    return entries


def _public_text(event: CaseEvent, department_name: Callable[[str], str]) -> str | None:
    """The public detail of `event`, or None when the event is internal."""
    kind, data = event.type, event.data
    if kind not in _LABELS:
        return None
    if kind is EventType.NOTED:
        return str(data.get("text", "")) if event.actor.startswith(OPEN311_NOTE_ACTOR) else None
    if kind is EventType.HOLD_DECIDED and not data.get("approved"):
        return None
    if kind is EventType.DISPATCHED:
        return department_name(str(data.get("department", "")))
    if kind is EventType.HANDLED:
        return str(data.get("result", ""))
    if kind is EventType.CLOSED:
        zh, en = OUTCOME_LABELS.get(Outcome(data["outcome"]), ("", str(data["outcome"])))
        return f"{zh} ({en})" + (f": {event.reason}" if event.reason else "")
    if kind is EventType.CHECKED:
        return "" if data.get("passed") else event.reason
    if kind is EventType.RATED:
        return f"{data.get('score')}/5"
    if kind is EventType.MERGED:
        return f"#{data.get('into')}"
    if kind is EventType.VOIDED:
        return event.reason
    return ""


def closing_note(events: Sequence[CaseEvent], department_name: Callable[[str], str]) -> str:
    """Why the case is where it is now: the latest close, void or merge, else ''."""
    for event in reversed(events):
        if event.type in {EventType.CLOSED, EventType.VOIDED, EventType.MERGED}:
            return _public_text(event, department_name) or ""
        if event.type is EventType.REOPENED:
            return ""
    return ""
