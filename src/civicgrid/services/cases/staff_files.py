"""Staff and a case's files: reporting with a photo, acting with one, reading one back.

Photos arrive as bytes from a form; they are stored as attachments first, then named by
the case's event, so that every file a case shows passed the same upload checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.access import Action, Principal, Role
from civicgrid.domain.cases.stages import Source
from civicgrid.domain.errors import NotFound
from civicgrid.services.area_chains import AreaChainProvider
from civicgrid.services.attachment_ports import AttachmentStore
from civicgrid.services.attachments import Download, get_attachment, upload_attachment
from civicgrid.services.case_ports import CaseRules
from civicgrid.services.cases.intake import Reported, ReportRequest, access_case, report_case
from civicgrid.services.citizens import Photo
from civicgrid.services.feed import FeedPublisher
from civicgrid.services.ports import LocatorProvider, UnitOfWork


@dataclass(frozen=True, slots=True)
class StaffReport:
    category: str
    description: str
    lat: float
    lon: float
    photos: tuple[Photo, ...] = ()


def store_photos(
    uow: UnitOfWork,
    store: AttachmentStore,
    principal: Principal,
    photos: Sequence[Photo],
    *,
    now: datetime,
    max_bytes: int,
) -> tuple[str, ...]:
    """Each photo as an attachment of `principal`'s; their ids, for the event to name."""
    return tuple(
        upload_attachment(
            uow, store, principal, p.filename, p.content_type, p.data, now=now, max_bytes=max_bytes
        ).id
        for p in photos
    )


def report_as_staff(
    uow: UnitOfWork,
    locators: LocatorProvider,
    rules: CaseRules,
    store: AttachmentStore,
    principal: Principal,
    report: StaffReport,
    *,
    now: datetime,
    snap_tolerance_m: float,
    max_photo_bytes: int,
    feed: FeedPublisher | None = None,
    chains: AreaChainProvider | None = None,
) -> Reported:
    """A problem found on a round: a grid worker's report (监督员上报), anyone else's
    as staff; intake routes it and checks the reporter works there."""
    source = Source.GRID_WORKER if Role.GRID_WORKER in principal.roles else Source.STAFF
    rules.category(report.category, on=now)  # an unknown category before any photo is kept
    photos = store_photos(uow, store, principal, report.photos, now=now, max_bytes=max_photo_bytes)
    return report_case(
        uow,
        locators,
        rules,
        principal,
        ReportRequest(
            category=report.category,
            description=report.description,
            source=source,
            lat=report.lat,
            lon=report.lon,
            attachments=photos,
        ),
        now=now,
        snap_tolerance_m=snap_tolerance_m,
        feed=feed,
        chains=chains,
    )


def get_case_attachment(
    uow: UnitOfWork, store: AttachmentStore, principal: Principal, case_id: int, attachment_id: str
) -> Download:
    """A file one of the case's events names, for a reader of the case (403 outside
    their subtree, before anything about the file is told)."""
    with uow:
        access_case(uow, principal, case_id, Action.READ)
        named = any(attachment_id in event.attachments for event in uow.cases.events(case_id))
    if not named:
        raise NotFound(f"case {case_id} has no attachment {attachment_id}", field="attachment_id")
    return get_attachment(uow, store, principal, attachment_id)
