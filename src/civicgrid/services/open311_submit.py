"""POST requests: an Open311 client's report becomes a citizen case, or waits in a
queue for staff to place it when it names its place only in words."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from civicgrid.domain.citizens import Channel
from civicgrid.domain.citizens.attributes import check_answers
from civicgrid.domain.citizens.catalog import Locale, definition_of, service_of
from civicgrid.domain.errors import Conflict, InvalidInput, NotFound
from civicgrid.services.attachment_ports import AttachmentStore
from civicgrid.services.case_ports import CaseRules, Contact
from civicgrid.services.cases.intake import MAX_DESCRIPTION, Reported
from civicgrid.services.cases.intake_batch import PublicReport
from civicgrid.services.citizen_ports import QueuedRequest
from civicgrid.services.citizens import CitizenReport, Photo, submit_citizen_report
from civicgrid.services.feed import FeedPublisher
from civicgrid.services.open311_keys import check_api_key
from civicgrid.services.ports import LocatorProvider, UnitOfWork

MAX_MEDIA_URL = 1000
_SHORT = {"address_string": 400, "address_id": 40, "device_id": 100, "account_id": 100}


@dataclass(frozen=True, slots=True)
class Open311Form:
    """A POST requests body as sent; every field optional until checked."""

    api_key: str | None = None
    service_code: str | None = None
    lat: str | None = None
    long: str | None = None
    address_string: str = ""
    address_id: str = ""
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    description: str = ""
    media_url: str = ""
    email: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    device_id: str = ""
    account_id: str = ""
    photos: tuple[Photo, ...] = ()


@dataclass(frozen=True, slots=True)
class Open311Created:
    service_request_id: str | None  # None when queued: then `token`
    token: str | None
    service_notice: str
    account_id: str


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the case goes: a point, or an area code given by the client or by staff."""

    lat: float | None = None
    lon: float | None = None
    area_code: str | None = None


def submit_open311_request(
    uow: UnitOfWork,
    locators: LocatorProvider,
    rules: CaseRules,
    store: AttachmentStore,
    form: Open311Form,
    *,
    now: datetime,
    snap_tolerance_m: float,
    max_photo_bytes: int,
    locale: Locale = Locale.ZH,
    feed: FeedPublisher | None = None,
    intake: Callable[[PublicReport], Reported] | None = None,
) -> Open311Created:
    """403 without a live key, 404 for an unknown service, 400 for anything else amiss.

    `intake`: as for `submit_citizen_report`."""
    key = check_api_key(uow, form.api_key)
    report = _report(rules, form, key.id)
    notice = service_of(rules.tree, rules.tree.minor(report.category), locale).notice
    placement = _placement(form)
    if placement is None:  # an address in words only: staff place it on the map
        token = secrets.token_urlsafe(15)
        with uow:
            uow.citizens.enqueue(
                QueuedRequest(
                    token=token,
                    api_key_id=key.id,
                    form=_stored(form, report),
                    status="queued",
                    created_at=now,
                )
            )
            uow.commit()
        return Open311Created(None, token, notice, form.account_id)
    try:
        receipt = submit_citizen_report(
            uow,
            locators,
            rules,
            store,
            replace(report, lat=placement.lat, lon=placement.lon, area_code=placement.area_code),
            now=now,
            snap_tolerance_m=snap_tolerance_m,
            max_photo_bytes=max_photo_bytes,
            feed=feed,
            intake=intake,
        )
    except NotFound as exc:  # the service exists; a bad address_id is a bad argument
        if exc.field != "area_code":
            raise
        raise InvalidInput(
            f"address_id {form.address_id!r} names no area", field="address_id"
        ) from exc
    return Open311Created(str(receipt.case_id), None, notice, form.account_id)


def accept_queued(
    uow: UnitOfWork,
    locators: LocatorProvider,
    rules: CaseRules,
    store: AttachmentStore,
    token: str,
    area_code: str,
    *,
    now: datetime,
    snap_tolerance_m: float,
    max_photo_bytes: int,
    feed: FeedPublisher | None = None,
) -> int:
    """Staff place a queued request on an area: it becomes a case; its token follows it."""
    queued = _pending(uow, token)
    form = queued.form
    report = CitizenReport(
        category=form["category"],
        description=form["description"],
        channel=Channel.OPEN311,
        area_code=area_code,
        contact=Contact(**form["contact"]),
        attributes=dict(form["attributes"]),
        address_string=form["address_string"],
        media_url=form["media_url"],
        device_id=form["device_id"],
        account_id=form["account_id"],
        api_key_id=queued.api_key_id,
        idempotency_key=f"queued:{token}",  # accepting twice cannot open two cases
    )
    receipt = submit_citizen_report(
        uow,
        locators,
        rules,
        store,
        report,
        now=now,
        snap_tolerance_m=snap_tolerance_m,
        max_photo_bytes=max_photo_bytes,
        feed=feed,
    )
    with uow:
        uow.citizens.decide(token, "accepted", receipt.case_id, "", now)
        uow.commit()
    return receipt.case_id


def reject_queued(uow: UnitOfWork, token: str, reason: str, *, now: datetime) -> None:
    if not reason.strip():
        raise InvalidInput("say why the request is rejected", field="reason")
    _pending(uow, token)
    with uow:
        uow.citizens.decide(token, "rejected", None, reason.strip(), now)
        uow.commit()


def list_queue(
    uow: UnitOfWork, status: str | None = "queued", limit: int = 200
) -> list[QueuedRequest]:
    with uow:
        return uow.citizens.queue(status, limit)


def _pending(uow: UnitOfWork, token: str) -> QueuedRequest:
    with uow:
        queued = uow.citizens.queued(token)
    if queued is None:
        raise NotFound(f"no queued request has token {token}", field="token")
    if queued.status != "queued":
        raise Conflict(f"request {token} was {queued.status} already")
    return queued


def _report(rules: CaseRules, form: Open311Form, api_key_id: int) -> CitizenReport:
    if not form.service_code:
        raise InvalidInput("service_code is required", field="service_code")
    _refuse_nul(form)
    minor, attributes = definition_of(rules.tree, form.service_code)
    description = form.description.strip() or minor.name_zh
    if len(form.description) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"description has {len(form.description)} characters; at most {MAX_DESCRIPTION}",
            field="description",
        )
    for name, limit in _SHORT.items():
        if len(getattr(form, name)) > limit:
            raise InvalidInput(f"{name} is longer than {limit} characters", field=name)
    _check_media_url(form.media_url)
    name = " ".join(part for part in (form.first_name.strip(), form.last_name.strip()) if part)
    return CitizenReport(
        category=minor.key,
        description=description,
        channel=Channel.OPEN311,
        contact=Contact(name=name, phone=form.phone.strip(), email=form.email.strip()),
        photos=form.photos,
        attributes=dict(check_answers(attributes, form.attributes)),
        address_string=form.address_string.strip(),
        address_id=form.address_id.strip(),
        media_url=form.media_url.strip(),
        device_id=form.device_id.strip(),
        account_id=form.account_id.strip(),
        api_key_id=api_key_id,
    )


def _placement(form: Open311Form) -> Placement | None:
    if form.lat or form.long:
        if not (form.lat and form.long):
            raise InvalidInput(
                "lat and long are sent together", field="lat" if not form.lat else "long"
            )
        return Placement(lat=_number(form.lat, "lat"), lon=_number(form.long, "long"))
    if form.address_id.strip():
        return Placement(area_code=form.address_id.strip())
    if form.address_string.strip():
        return None
    raise InvalidInput(
        "a location is required: lat and long, address_string or address_id", field="lat"
    )


def _number(text: str, field: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InvalidInput(f"{field} must be a number, not {text[:40]!r}", field=field)
    return value


def _check_media_url(url: str) -> None:
    url = url.strip()
    if not url:
        return
    if len(url) > MAX_MEDIA_URL or not url.lower().startswith(("http://", "https://")):
        raise InvalidInput(
            f"media_url must be an http(s) URL of at most {MAX_MEDIA_URL} characters",
            field="media_url",
        )


def _stored(form: Open311Form, report: CitizenReport) -> dict[str, Any]:
    """What staff need to open the case later (photos are not queued: send them with a point)."""
    if form.photos:
        raise InvalidInput(
            "media uploads need lat/long or address_id; send media_url with an address",
            field="media",
        )
    return {
        "category": report.category,
        "description": report.description,
        "contact": {
            "name": report.contact.name,
            "phone": report.contact.phone,
            "email": report.contact.email,
        },
        "attributes": report.attributes,
        "address_string": report.address_string,
        "media_url": report.media_url,
        "device_id": report.device_id,
        "account_id": report.account_id,
    }


def _refuse_nul(form: Open311Form) -> None:
    """NUL cannot be stored (PostgreSQL text refuses it) and has no place in a report."""
    texts = {name: getattr(form, name) or "" for name in (*_SHORT, "service_code", "lat", "long")}
    texts.update(description=form.description, media_url=form.media_url, email=form.email)
    texts.update(phone=form.phone, first_name=form.first_name, last_name=form.last_name)
    for code, values in form.attributes.items():
        texts[f"attribute[{code}]"] = code + "".join(values)
    for name, text in texts.items():
        if "\0" in text:
            raise InvalidInput(f"{name} contains a NUL character", field=name)
