"""急报: an urgent report reaches every level above the unit at once, with read receipts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from civicgrid.domain.access import Action, Principal, authorize
from civicgrid.domain.areas.area import path_codes
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.domain.ledger import LedgerEntry
from civicgrid.services.areas import access_area
from civicgrid.services.feed import FeedEvent, FeedPublisher
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.report_ports import Reader, UrgentReport

MAX_TITLE = 200
MAX_BODY = 4000


@dataclass(frozen=True, slots=True)
class UrgentView:
    report: UrgentReport
    delivered_to: list[str]  # area paths, the city first
    readers: list[Reader]


def send_urgent_report(
    uow: UnitOfWork,
    principal: Principal,
    area_code: str,
    title: str,
    body: str,
    *,
    values: dict[str, Any] | None = None,
    now: datetime,
    feed: FeedPublisher | None = None,
) -> UrgentView:
    """Bypasses every schedule: one urgent notification per ancestor level, one transaction."""
    if not title.strip() or len(title) > MAX_TITLE:
        raise InvalidInput(f"a title of 1 to {MAX_TITLE} characters is required", field="title")
    if len(body) > MAX_BODY:
        raise InvalidInput(f"the body has at most {MAX_BODY} characters", field="body")
    with uow:
        area = access_area(uow, principal, area_code, Action.OPERATE, with_geometry=False)
        codes = path_codes(area.path)
        ancestors = ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes) - 1)]
        if not ancestors:
            raise InvalidInput("the city has no level above it to report to", field="area_code")
        urgent_id = uow.reports.add_urgent(
            area.path, title, body, values or {}, principal.username, now
        )
        ids = uow.notifications.add(
            ancestors,
            case_id=None,
            kind="urgent_report",
            urgent=True,
            message=f"【急报】{area.name_zh}: {title} (urgent report {urgent_id})",
            now=now,
        )
        uow.reports.add_deliveries(urgent_id, list(zip(ids, ancestors, strict=True)))
        uow.ledger.append(
            LedgerEntry(
                stream=f"urgent:{urgent_id}",
                seq=0,
                type="urgent_reported",
                at=now,
                actor=principal.username,
                area_path=area.path,
                data={"title": title, "body": body, "values": values or {}, "to": ancestors},
            )
        )
        report = uow.reports.urgent(urgent_id)
        uow.commit()
    if report is None:
        raise RuntimeError("an urgent report just written cannot be read back")
    if feed is not None:
        summary = f"【急报】{area.name_zh}: {title}"[:120]
        feed.publish(FeedEvent("urgent_report", None, area.path, True, now, summary))
    return UrgentView(report, ancestors, [])


def get_urgent_report(uow: UnitOfWork, principal: Principal, urgent_id: int) -> UrgentView:
    """The report, the levels it went to, and who at each has read it."""
    with uow:
        report = uow.reports.urgent(urgent_id)
        if report is None:
            raise NotFound(f"no urgent report {urgent_id}", field="urgent_id")
        authorize(principal, Action.READ, report.area_path, f"urgent report {urgent_id}")
        delivered = [path for _, path in uow.reports.deliveries(urgent_id)]
        return UrgentView(report, delivered, uow.reports.readers(urgent_id))
