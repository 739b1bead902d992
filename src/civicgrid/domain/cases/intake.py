"""信息收集: the report that starts a case, its first event."""

from __future__ import annotations

import math
from datetime import datetime

from civicgrid.domain.cases.actions import REPORT_SOURCES
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.guards import (
    check_attachments,
    check_now,
    position_label,
    require_text,
    stage_label,
)
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source, Stage, Urgency
from civicgrid.domain.errors import Forbidden, InvalidInput


def report(
    case_id: int,
    actor: str,
    position: Position,
    now: datetime,
    *,
    category: str,
    source: Source,
    area_code: str,
    area_path: str,
    description: str,
    urgency: Urgency = Urgency.NORMAL,
    reporter_ref: str = "",
    location: tuple[float, float] | None = None,
    attachments: tuple[str, ...] = (),
) -> CaseEvent:
    """信息收集: the first event of a new case. A reporter reports as themselves."""
    event, _ = open_case(
        case_id, actor, position, now, category=category, source=source,
        area_code=area_code, area_path=area_path, description=description, urgency=urgency,
        reporter_ref=reporter_ref, location=location, attachments=attachments,
    )  # fmt: skip
    return event


def open_case(
    case_id: int,
    actor: str,
    position: Position,
    now: datetime,
    *,
    category: str,
    source: Source,
    area_code: str,
    area_path: str,
    description: str,
    urgency: Urgency = Urgency.NORMAL,
    reporter_ref: str = "",
    location: tuple[float, float] | None = None,
    attachments: tuple[str, ...] = (),
) -> tuple[CaseEvent, Case]:
    """`report`'s event and the case it opens, its hash computed once."""
    now = check_now(None, now)
    require_text(actor, "actor", "every event names who acted")
    if source not in REPORT_SOURCES[position]:
        sources = " or ".join(sorted(REPORT_SOURCES[position]))
        raise Forbidden(
            f"{position_label(position)} cannot report a {source} case at "
            f"{stage_label(Stage.COLLECT)}; their reports are {sources}"
        )
    if position is Position.REPORTER:
        reporter_ref = reporter_ref or actor
        if reporter_ref != actor:
            raise Forbidden("a reporter reports only as themselves")
    if type(case_id) is not int or case_id < 1:
        raise InvalidInput(f"case id must be a positive integer, not {case_id!r}", field="case_id")
    area_code = require_text(area_code, "area_code", "a case is routed to an area")
    if not area_path.startswith("/") or not area_path.endswith(f"/{area_code}/"):
        raise InvalidInput(
            f"area path {area_path!r} does not end at {area_code}", field="area_path"
        )
    data = {
        "category": require_text(category, "category", "every case has a category"),
        "source": source.value,
        "urgency": urgency.value,
        "area_code": area_code,
        "area_path": area_path,
        "description": require_text(description, "description", "say what the problem is"),
        "reporter_ref": reporter_ref.strip(),
        "location": _location(location),
    }
    event = CaseEvent(
        case_id=case_id,
        seq=1,
        type=EventType.REPORTED,
        at=now,
        actor=actor,
        position=position,
        from_stage=None,
        to_stage=Stage.COLLECT,
        data=data,
        attachments=check_attachments(attachments),
    )
    # The net: a report the fold cannot read is never returned. Sealed and folded in
    # one step, so its hash is computed once.
    return Case.opened_by(event)


def _location(location: tuple[float, float] | None) -> list[float] | None:
    if location is None:
        return None
    lon, lat = (float(x) for x in location)
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(f"location {location!r} is not a longitude, latitude", field="location")
    return [lon, lat]
