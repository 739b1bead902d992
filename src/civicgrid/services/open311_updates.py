"""mySociety's servicerequestupdates: the public changes to cases, both ways.

GET lists the public events of every case in a time range, so a FixMyStreet-style
front end can follow the cases it sent. POST records the front end's update on a case
as a note of the system, signed by the client's key name, and public like the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from civicgrid.domain.cases import controls
from civicgrid.domain.cases.categories import CategoryTree
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome, Stage
from civicgrid.domain.citizens.catalog import Locale
from civicgrid.domain.citizens.timeline import OPEN311_NOTE_ACTOR, public_timeline
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.services.case_ports import CaseRules
from civicgrid.services.cases.ticking import schedule_for
from civicgrid.services.feed import FeedPublisher, publish_case_event
from civicgrid.services.open311_keys import check_api_key
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.public_cases import department_names

MAX_UPDATES = 1000
MAX_SPAN = timedelta(days=90)
DEFAULT_SPAN = timedelta(days=1)
MAX_UPDATE_TEXT = 4000

_STAGE_STATUS = {
    Stage.COLLECT: "OPEN",
    Stage.FILE: "OPEN",
    Stage.DISPATCH: "ACTION_SCHEDULED",
    Stage.HANDLE: "IN_PROGRESS",
    Stage.FEEDBACK: "INVESTIGATING",
    Stage.VERIFY_CLOSE: "INVESTIGATING",
    Stage.EVALUATE: "CLOSED",
}
_OUTCOME_STATUS = {
    Outcome.FIXED: "FIXED",
    Outcome.RESOLVED_BY_SENSOR: "FIXED",
    Outcome.CLOSED_NOT_FIXED: "NO_FURTHER_ACTION",
    Outcome.DUPLICATE: "DUPLICATE",
    Outcome.VOID: "CLOSED",
}


@dataclass(frozen=True, slots=True)
class RequestUpdate:
    update_id: str  # "<case id>-<event seq>": stable, unique
    service_request_id: str
    status: str  # mySociety's upper-case states: OPEN, IN_PROGRESS, FIXED, …
    updated_datetime: datetime
    description: str


def list_request_updates(
    uow: UnitOfWork,
    tree: CategoryTree,
    start: datetime | None,
    end: datetime | None,
    *,
    now: datetime,
    locale: Locale = Locale.ZH,
) -> list[RequestUpdate]:
    """Public updates in [start, end): the last day by default, at most 90 days."""
    end = end or (start + MAX_SPAN if start else now)
    start = start or end - DEFAULT_SPAN
    if start > end:
        raise InvalidInput("start_date is after end_date", field="start_date")
    if end - start > MAX_SPAN:
        raise InvalidInput("start_date and end_date may span at most 90 days", field="end_date")
    with uow:
        events = uow.citizens.events_between(start, end, MAX_UPDATES)

    def department(code: str) -> str:
        zh, en = department_names(tree, code)
        return en if locale is Locale.EN else zh

    updates = []
    for event in events:
        for entry in public_timeline([event], department):
            label = entry.label_en if locale is Locale.EN else entry.label_zh
            updates.append(
                RequestUpdate(
                    update_id=f"{event.case_id}-{event.seq}",
                    service_request_id=str(event.case_id),
                    status=_status(event),
                    updated_datetime=event.at,
                    description=f"{label}: {entry.text}" if entry.text else label,
                )
            )
    return updates


def post_request_update(
    uow: UnitOfWork,
    rules: CaseRules,
    api_key: str | None,
    service_request_id: str,
    description: str,
    *,
    now: datetime,
    feed: FeedPublisher | None = None,
) -> RequestUpdate:
    """A client's public update on a case, kept as a note; it changes no stage."""
    key = check_api_key(uow, api_key)
    text = description.strip()
    if "\0" in text or "\0" in service_request_id:
        raise InvalidInput("the update contains a NUL character", field="description")
    if not text:
        raise InvalidInput("description is required: the update's text", field="description")
    if len(text) > MAX_UPDATE_TEXT:
        raise InvalidInput(
            f"description is longer than {MAX_UPDATE_TEXT} characters", field="description"
        )
    case_id = (
        int(service_request_id)
        if service_request_id.isdigit() and len(service_request_id) < 10
        else 0
    )
    with uow:
        case = uow.cases.get(case_id) if case_id else None
        if case is None:
            raise NotFound(
                f"no service request {service_request_id[:40]}", field="service_request_id"
            )
        event = controls.note(case, f"{OPEN311_NOTE_ACTOR}{key.name}", Position.SYSTEM, now, text)
        updated = case.apply(event)
        uow.cases.append(updated, event, schedule_for(rules, updated))
        uow.commit()
    publish_case_event(feed, updated, event)
    return RequestUpdate(
        update_id=f"{event.case_id}-{event.seq}",
        service_request_id=str(event.case_id),
        status=_status(event),
        updated_datetime=event.at,
        description=text,
    )


def _status(event: CaseEvent) -> str:
    if event.type is EventType.CLOSED:
        return _OUTCOME_STATUS[Outcome(event.data["outcome"])]
    if event.type is EventType.MERGED:
        return "DUPLICATE"
    stage = event.to_stage or event.from_stage or Stage.COLLECT
    return _STAGE_STATUS[stage]
