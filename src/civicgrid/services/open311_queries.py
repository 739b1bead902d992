"""GET requests and GET a request: cases as Open311 service requests, public fields only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.areas import AreaPath
from civicgrid.domain.cases.categories import CategoryTree
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.stages import Stage
from civicgrid.domain.citizens.catalog import Locale
from civicgrid.domain.citizens.requests_query import RequestQuery
from civicgrid.domain.citizens.timeline import (
    PublicEntry,
    closing_note,
    public_status,
    public_timeline,
)
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.services.area_names import SHARED
from civicgrid.services.citizen_ports import CitizenRecord, PublicListing, PublicRow
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.public_cases import category_names, department_names


@dataclass(frozen=True, slots=True)
class Open311Request:
    service_request_id: str
    status: str
    status_notes: str
    service_name: str
    service_code: str
    description: str
    agency_responsible: str
    service_notice: str
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str
    address_id: str
    lat: float | None
    long: float | None
    media_url: str
    # Only with extensions=true:
    attributes: Mapping[str, object] | None = None
    notes: Sequence[PublicEntry] | None = None
    channel: str | None = None


# GeoReport v2's request fields in the spec's order, as list_requests gives them:
# absent values None, times W3C text. A page holds up to 1,000, so plain tuples.
REQUEST_FIELDS = (
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
)  # fmt: skip
RequestFields = tuple[
    str, str, str | None, str, str, str, str | None, None, str, str, str | None, str,
    str | None, None, float | None, float | None, str | None,
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class RequestExtras:
    """What extensions=true adds to a request."""

    attributes: Mapping[str, object]
    channel: str
    notes: Sequence[PublicEntry]


@dataclass(frozen=True, slots=True)
class RequestPage:
    fields: list[RequestFields]
    extras: list[RequestExtras] | None  # with extensions=true: one per request, in order


def list_requests(
    uow: UnitOfWork,
    tree: CategoryTree,
    query: RequestQuery,
    *,
    locale: Locale = Locale.ZH,
    extensions: bool = False,
) -> RequestPage:
    """GET requests: the query's page of cases as Open311 fields, newest report first."""
    _check_codes(tree, query)
    with uow:
        rows = uow.citizens.public_rows(query)
        ids = [row[0] for row in rows]
        closed = [row[0] for row in rows if public_status(row[2]) == "closed"]
        endings = uow.citizens.closing_events(closed) if closed else {}
        addresses = SHARED.addresses(uow, {row[6] for row in rows})
        if extensions and ids:
            records, events = uow.citizens.records(ids), uow.citizens.events_of(ids)
        else:
            records, events = {}, None
    naming = _Naming(tree, addresses, locale)
    fields = [_fields(naming, row, endings.get(row[0])) for row in rows]
    if events is None:
        return RequestPage(fields, None)
    extras = []
    for case_id in ids:
        record = records.get(case_id)
        extras.append(
            RequestExtras(
                attributes=record.attributes if record is not None else {},
                channel=record.channel if record is not None else "staff",
                notes=public_timeline(events.get(case_id, ()), naming.department),
            )
        )
    return RequestPage(fields, extras)


def get_request(
    uow: UnitOfWork,
    tree: CategoryTree,
    request_id: str,
    *,
    locale: Locale = Locale.ZH,
    extensions: bool = False,
) -> RequestPage:
    """One request by its id, as a page of one; NotFound (404) for an id no case has."""
    case_id = int(request_id) if request_id.isdigit() and len(request_id) <= 10 else 0
    found = list_requests(
        uow,
        tree,
        RequestQuery(ids=(case_id,), page_size=1) if 0 < case_id < 2**31 else RequestQuery(ids=()),
        locale=locale,
        extensions=extensions,
    )
    if not found.fields:
        raise NotFound(f"no service request {request_id[:40]}", field="service_request_id")
    return found


def find_requests(
    uow: UnitOfWork,
    tree: CategoryTree,
    query: RequestQuery,
    *,
    locale: Locale = Locale.ZH,
    extensions: bool = False,
) -> list[Open311Request]:
    """The query's page of cases, newest report first, as typed values (for the map)."""
    _check_codes(tree, query)
    with uow:
        rows = uow.citizens.public_page(query)
        ids = [row.id for row in rows]
        closed = [row.id for row in rows if public_status(row.status) == "closed"]
        endings = uow.citizens.closing_events(closed) if closed else {}
        records = uow.citizens.records(ids) if ids else {}
        addresses = SHARED.addresses(uow, {row.area_path for row in rows})
        events = uow.citizens.events_of(ids) if extensions and ids else {}
    naming = _Naming(tree, addresses, locale)
    return [
        _request(naming, row, endings.get(row.id), records.get(row.id), events.get(row.id))
        for row in rows
    ]


def _check_codes(tree: CategoryTree, query: RequestQuery) -> None:
    for code in query.service_codes:
        try:
            tree.minor(code)
        except NotFound as exc:
            raise InvalidInput(f"unknown service_code {code!r}", field="service_code") from exc


class _Naming:
    """Names of categories, departments and areas, each looked up once per answer."""

    def __init__(
        self, tree: CategoryTree, addresses: Mapping[AreaPath, tuple[str, str]], locale: Locale
    ) -> None:
        self.en = locale is Locale.EN
        self._tree = tree
        self._addresses = addresses
        self._departments: dict[str, str] = {}
        self._services: dict[str, str] = {}
        self._stages: dict[str, str] = {}
        self._places: dict[AreaPath, tuple[str, str]] = {}

    def stage(self, value: str) -> str:
        """An open case's status_notes: its stage, named once per stage per answer."""
        if value not in self._stages:
            stage = Stage(value)
            self._stages[value] = stage.value.replace("_", " ") if self.en else stage.name_zh
        return self._stages[value]

    def department(self, code: str) -> str:
        if code not in self._departments:
            zh, en = department_names(self._tree, code)
            self._departments[code] = en if self.en else zh
        return self._departments[code]

    def service(self, code: str) -> str:
        if code not in self._services:
            zh, en = category_names(self._tree, code)
            self._services[code] = en if self.en else zh
        return self._services[code]

    def address(self, path: AreaPath) -> str:
        zh, en = self._addresses.get(path, ("", ""))
        return en if self.en else zh

    def place(self, path: AreaPath) -> tuple[str, str]:
        """The area's address and address_id (its own code), once per area per answer."""
        if path not in self._places:
            self._places[path] = (self.address(path), path.rstrip("/").rsplit("/", 1)[-1])
        return self._places[path]

    def notes(self, status: str, stage: str, ending: CaseEvent | None) -> str:
        """status_notes: why a closed case closed, or the stage an open one is at."""
        if status == "closed":
            return closing_note([ending], self.department) if ending is not None else ""
        return self.stage(stage)


def _fields(naming: _Naming, row: PublicRow, ending: CaseEvent | None) -> RequestFields:
    (case_id, category, status, stage, department, text, path, lon, lat, at, updated, due,
     address_string, media_url) = row  # fmt: skip
    status = public_status(status)
    address, address_id = naming.place(path)
    located = lon is not None and lat is not None
    return (
        str(case_id),
        status,
        naming.notes(status, stage, ending) or None,
        naming.service(category),
        category,
        text,
        (naming.department(department) or None) if department else None,
        None,
        at,
        updated,
        due if status == "open" else None,
        address_string or address,
        address_id or None,
        None,
        lat if located else None,
        lon if located else None,
        media_url or None,
    )


def _request(
    naming: _Naming,
    row: PublicListing,
    ending: CaseEvent | None,
    record: CitizenRecord | None,
    events: Sequence[CaseEvent] | None,
) -> Open311Request:
    status = public_status(row.status)
    notes = naming.notes(status, row.stage, ending)
    address, address_id = naming.place(row.area_path)
    if record is not None and record.address_string:
        address = record.address_string
    extended = events is not None
    return Open311Request(
        service_request_id=str(row.id),
        status=status,
        status_notes=notes,
        service_name=naming.service(row.category),
        service_code=row.category,
        description=row.description,
        agency_responsible=naming.department(row.department) if row.department else "",
        service_notice="",
        requested_datetime=row.reported_at,
        updated_datetime=row.updated_at,
        expected_datetime=row.deadline_at if status == "open" else None,
        address=address,
        address_id=address_id,
        lat=row.location[1] if row.location else None,
        long=row.location[0] if row.location else None,
        media_url=record.media_url if record is not None else "",
        attributes=(record.attributes if record is not None else {}) if extended else None,
        notes=public_timeline(events, naming.department) if events is not None else None,
        channel=(record.channel if record is not None else "staff") if extended else None,
    )
