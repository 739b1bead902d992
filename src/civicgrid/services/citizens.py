"""Citizens without accounts: report, follow with a tracking code, rate, reopen.

The tracking code is the reporter's only credential. It is shown once, at submission,
and stored as its SHA-256. Whoever holds it acts as the case's REPORTER, through the
same workflow functions and guards as staff; nothing personal is ever returned.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from civicgrid.domain.attachments import Attachment, check_upload, clean_filename, content_hash
from civicgrid.domain.cases import workflow
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.guards import DEFAULT_REOPEN_POLICY, ReopenPolicy, allowed_actions
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source
from civicgrid.domain.citizens import Channel, PublicReporter
from civicgrid.domain.citizens.tracking import code_digest, code_from_bits, display_code
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.services.area_names import ancestor_paths
from civicgrid.services.attachment_ports import AttachmentStore
from civicgrid.services.case_ports import CaseRules, Contact
from civicgrid.services.cases.intake import Reported, ReportRequest, report_case
from civicgrid.services.cases.intake_batch import PublicReport
from civicgrid.services.cases.ticking import schedule_for
from civicgrid.services.citizen_ports import CitizenRecord
from civicgrid.services.feed import FeedPublisher, publish_case_event
from civicgrid.services.ports import LocatorProvider, UnitOfWork
from civicgrid.services.public_cases import PublicCaseView, public_view_of

MAX_PHOTOS = 5
_CONTACT_LIMITS = {"name": 100, "phone": 40, "email": 200}

__all__ = [
    "MAX_PHOTOS",
    "CitizenReceipt",
    "CitizenReport",
    "Photo",
    "PublicCaseView",
    "public_case_view",
    "rate_case",
    "reopen_case",
    "submit_citizen_report",
]


@dataclass(frozen=True, slots=True)
class Photo:
    filename: str
    content_type: str  # the client's claim; the bytes decide
    data: bytes


@dataclass(frozen=True, slots=True)
class CitizenReport:
    """A report from the public. `contact` may stay empty: reporting is anonymous by default."""

    category: str  # a category key, e.g. "event:0101"
    description: str
    channel: Channel = Channel.WEB
    lat: float | None = None
    lon: float | None = None
    area_code: str | None = None  # instead of a point
    contact: Contact = field(default_factory=Contact)
    photos: tuple[Photo, ...] = ()
    idempotency_key: str | None = None  # a retry with the same key finds the first report
    attributes: dict[str, object] = field(default_factory=dict)  # Open311 answers
    address_string: str = ""
    address_id: str = ""
    media_url: str = ""
    device_id: str = ""
    account_id: str = ""
    api_key_id: int | None = None


@dataclass(frozen=True, slots=True)
class CitizenReceipt:
    case_id: int
    tracking_code: str | None  # e.g. "7K3M-Q9XA-2BCD-EFGH"; None for a retried submission
    created: bool  # False: the idempotency key found the earlier report
    snapped_m: float | None = None  # the point lay this far outside every micro-grid


def submit_citizen_report(
    uow: UnitOfWork,
    locators: LocatorProvider,
    rules: CaseRules,
    store: AttachmentStore,
    report: CitizenReport,
    *,
    now: datetime,
    snap_tolerance_m: float,
    max_photo_bytes: int,
    feed: FeedPublisher | None = None,
    intake: Callable[[PublicReport], Reported] | None = None,
) -> CitizenReceipt:
    """Open a citizen case and hand back its tracking code (shown once, never stored).

    `intake`: how the case is opened; by default in a transaction of its own, and
    a server passes its group commit (`PublicReport` items)."""
    _check_contact(report.contact)
    if len(report.photos) > MAX_PHOTOS:
        raise InvalidInput(f"at most {MAX_PHOTOS} photos per report", field="photos")
    reporter = PublicReporter(_reporter_ref(report), report.channel)
    photos = tuple(
        _store_photo(uow, store, reporter, photo, now=now, max_bytes=max_photo_bytes)
        for photo in report.photos
    )
    code = code_from_bits(secrets.randbits(80))

    def keep_record(uow: UnitOfWork, case: Case) -> None:
        uow.citizens.add_record(_record(case.id, report, code_digest(code), now))

    request = ReportRequest(
        category=report.category,
        description=report.description,
        source=Source.CITIZEN,
        lat=report.lat,
        lon=report.lon,
        area_code=report.area_code,
        contact=report.contact,
        attachments=photos,
        idempotency_key=report.idempotency_key,
    )
    if intake is not None:
        reported = intake(PublicReport(reporter, request, keep_record))
    else:
        reported = report_case(
            uow, locators, rules, reporter, request, now=now,
            snap_tolerance_m=snap_tolerance_m, feed=feed, before_commit=keep_record,
        )  # fmt: skip
    return CitizenReceipt(
        case_id=reported.case.id,
        tracking_code=display_code(code) if reported.created else None,
        created=reported.created,
        snapped_m=reported.snapped_m,
    )


def public_case_view(
    uow: UnitOfWork,
    rules: CaseRules,
    *,
    now: datetime,
    tracking_code: str | None = None,
    case_id: int | None = None,
    policy: ReopenPolicy = DEFAULT_REOPEN_POLICY,
) -> PublicCaseView:
    """The public view of a case, by tracking code (with what its reporter may do) or by id."""
    if (tracking_code is None) == (case_id is None):
        raise InvalidInput("give a tracking code or a case id", field="tracking_code")
    with uow:
        if tracking_code is not None:
            case = _case_for_code(uow, tracking_code)
        else:
            assert case_id is not None  # noqa: S101 - checked above
            found = uow.cases.get(case_id)
            if found is None:
                raise NotFound(f"no case {case_id}", field="case_id")
            case = found
        events = uow.cases.events(case.id)
        names = uow.citizens.area_names(ancestor_paths(case.area_path))
    allowed = allowed_actions(case, Position.REPORTER, now, policy) if tracking_code else []
    return public_view_of(rules, case, events, names, allowed=allowed, policy=policy)


def rate_case(
    uow: UnitOfWork,
    rules: CaseRules,
    tracking_code: str,
    stars: int,
    comment: str = "",
    *,
    now: datetime,
    policy: ReopenPolicy = DEFAULT_REOPEN_POLICY,
    feed: FeedPublisher | None = None,
) -> PublicCaseView:
    """综合评价: the reporter's 1–5 stars on a closed case, once. (`policy` only shapes
    the answer: whether the case may still be reopened.)"""

    def rate(case: Case) -> CaseEvent:
        return workflow.rate(case, case.reporter_ref, Position.REPORTER, now, stars, comment)

    _act_as_reporter(uow, rules, tracking_code, rate, feed=feed)
    return public_case_view(uow, rules, tracking_code=tracking_code, now=now, policy=policy)


def reopen_case(
    uow: UnitOfWork,
    rules: CaseRules,
    tracking_code: str,
    reason: str,
    *,
    now: datetime,
    policy: ReopenPolicy = DEFAULT_REOPEN_POLICY,
    feed: FeedPublisher | None = None,
) -> PublicCaseView:
    """重办: closed but not fixed; back to its department within the policy's window."""

    def reopen(case: Case) -> CaseEvent:
        return workflow.reopen(
            case, case.reporter_ref, Position.REPORTER, now, reason, policy=policy
        )

    case = _act_as_reporter(uow, rules, tracking_code, reopen, feed=feed)
    with uow:
        uow.notifications.add(
            [case.area_path],
            case_id=case.id,
            kind="case_reopened",
            urgent=False,
            message=f"case {case.id} reopened by its reporter: {reason.strip()[:80]}",
            now=now,
        )
        uow.commit()
    return public_case_view(uow, rules, tracking_code=tracking_code, now=now, policy=policy)


def _act_as_reporter(
    uow: UnitOfWork,
    rules: CaseRules,
    tracking_code: str,
    act: Callable[[Case], CaseEvent],
    *,
    feed: FeedPublisher | None,
) -> Case:
    """The code proves the reporter; the workflow's guards decide the rest."""
    with uow:
        case = _case_for_code(uow, tracking_code)
        event = act(case)
        updated = case.apply(event)
        uow.cases.append(updated, event, schedule_for(rules, updated))
        uow.commit()
    publish_case_event(feed, updated, event)
    return updated


def _case_for_code(uow: UnitOfWork, tracking_code: str) -> Case:
    case_id = uow.citizens.case_for_code(code_digest(tracking_code))
    case = uow.cases.get(case_id) if case_id is not None else None
    if case is None:
        raise NotFound(
            "no case has this tracking code; check it and try again", field="tracking_code"
        )
    return case


def _reporter_ref(report: CitizenReport) -> str:
    """Random per report; derived from the idempotency key so that a retry is the same
    reporter (the key is the client's secret, so the ref reveals nothing)."""
    prefix = report.channel.value
    if report.idempotency_key:
        keyed = hashlib.sha256(f"{prefix}\0{report.idempotency_key}".encode()).hexdigest()
        return f"{prefix}:{keyed[:32]}"
    return f"{prefix}:{uuid.uuid4().hex}"


def _check_contact(contact: Contact) -> None:
    for name, limit in _CONTACT_LIMITS.items():
        value = getattr(contact, name)
        if len(value) > limit:
            raise InvalidInput(f"{name} is longer than {limit} characters", field=name)
        if "\0" in value:
            raise InvalidInput(f"{name} contains a NUL character", field=name)


def _store_photo(
    uow: UnitOfWork,
    store: AttachmentStore,
    reporter: PublicReporter,
    photo: Photo,
    *,
    now: datetime,
    max_bytes: int,
) -> str:
    """Bytes first, then the record, as staff uploads do; only its reporter may attach it."""
    attachment = Attachment(
        id=uuid.uuid4().hex,
        sha256=content_hash(photo.data),
        content_type=check_upload(photo.data, max_bytes, declared=photo.content_type),
        size=len(photo.data),
        filename=clean_filename(photo.filename or "photo"),
        uploaded_by=reporter.ref,
        created_at=now,
    )
    with uow:
        store.put(attachment.sha256, photo.data)
        uow.attachments.add(attachment)
        uow.commit()
    return attachment.id


def _record(case_id: int, report: CitizenReport, digest: str, now: datetime) -> CitizenRecord:
    return CitizenRecord(
        case_id=case_id,
        channel=report.channel.value,
        tracking_digest=digest,
        created_at=now,
        api_key_id=report.api_key_id,
        address_string=report.address_string,
        address_id=report.address_id,
        media_url=report.media_url,
        device_id=report.device_id,
        account_id=report.account_id,
        attributes=dict(report.attributes),
    )
