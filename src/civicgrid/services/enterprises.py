"""The enterprise registry of 万人助万企: register, find, assign an official, take requests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from civicgrid.domain.access import Action, Principal, authorize, scopes_for
from civicgrid.domain.access.channel import channel_principal
from civicgrid.domain.areas import Area, Level
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.positions import positions_at
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source
from civicgrid.domain.enterprises import (
    Enterprise,
    EnterpriseDraft,
    HistoryEntry,
    HistoryKind,
    RequestKind,
    check_uscc,
)
from civicgrid.domain.enterprises.enterprise import MAX_ADDRESS, check_name, check_text
from civicgrid.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from civicgrid.services.addresses import load_address_index
from civicgrid.services.areas import access_area
from civicgrid.services.case_ports import CaseRules, Contact
from civicgrid.services.cases.intake import Reported, ReportRequest, report_case
from civicgrid.services.channel_ports import EnterpriseRequestView
from civicgrid.services.feed import FeedPublisher
from civicgrid.services.locating import check_coordinates
from civicgrid.services.ports import LocatorProvider, Page, UnitOfWork

MAX_PAGE_SIZE = 500
MAX_IDEMPOTENCY_KEY = 100  # with the reporter and the USCC it fits the 200 of a case key


@dataclass(frozen=True, slots=True)
class EnterpriseView:
    enterprise: Enterprise
    history: list[HistoryEntry]
    requests: list[EnterpriseRequestView]


def register_enterprise(
    uow: UnitOfWork,
    locators: LocatorProvider,
    principal: Principal,
    draft: EnterpriseDraft,
    *,
    now: datetime,
    snap_tolerance_m: float,
) -> Enterprise:
    """Put an enterprise on the registry at the area its point, area code or address names."""
    uscc = check_uscc(draft.uscc)
    name = check_name(draft.name)
    address = check_text(draft.address, "address", MAX_ADDRESS)
    contact_name = check_text(draft.contact_name, "contact_name", 100)
    contact_phone = check_text(draft.contact_phone, "contact_phone", 40)
    with uow:
        area, level = _locate(uow, locators, draft, address, snap_tolerance_m)
        authorize(principal, Action.MANAGE_AREAS, area.path, f"an enterprise at area {area.code}")
        if uow.enterprises.get(uscc) is not None:
            raise Conflict(f"an enterprise with USCC {uscc} is registered already", field="uscc")
        location = (
            (draft.lon, draft.lat) if draft.lat is not None and draft.lon is not None else None
        )
        enterprise = Enterprise(
            id=0,
            uscc=uscc,
            name=name,
            address=address,
            area_code=area.code,
            area_path=area.path,
            located_level=level,
            contact_name=contact_name,
            contact_phone=contact_phone,
            official=None,
            registered_at=now,
            location=location,
        )
        enterprise_id = uow.enterprises.add(enterprise)
        data = {"name": name, "area_code": area.code, "located_level": level.slug}
        entry = HistoryEntry(now, principal.username, HistoryKind.REGISTERED, data)
        uow.enterprises.add_history(enterprise_id, entry)
        uow.commit()
    return replace(enterprise, id=enterprise_id)


def _locate(
    uow: UnitOfWork,
    locators: LocatorProvider,
    draft: EnterpriseDraft,
    address: str,
    snap_tolerance_m: float,
) -> tuple[Area, Level]:
    if (draft.lat is None) != (draft.lon is None):
        raise InvalidInput("give both lat and lon, or neither", field="lat")
    if draft.lat is not None and draft.lon is not None:
        check_coordinates(draft.lat, draft.lon)
        found = locators.current(uow).locate(draft.lon, draft.lat, snap_tolerance_m)
        if found.code is None:
            raise InvalidInput(
                f"point lat {draft.lat}, lon {draft.lon} lies outside the jurisdiction",
                field="lat",
            )
        code = found.code
    elif draft.area_code is not None:
        code = draft.area_code
    elif address:
        code = load_address_index(uow, "/").place(address).code
    else:
        raise InvalidInput("give a point (lat, lon), an area_code or an address", field="address")
    area = uow.areas.get(code, with_geometry=False) if code.isascii() and code.isdigit() else None
    if area is None:
        raise NotFound(f"no area with code {code}", field="area_code")
    return area, area.level


def access_enterprise(
    uow: UnitOfWork, principal: Principal, uscc: str, action: Action
) -> Enterprise:
    """The enterprise, if `principal` may `action` where it lies; call inside the unit of work."""
    code = check_uscc(uscc)
    enterprise = uow.enterprises.get(code)
    if enterprise is None:
        raise NotFound(f"no enterprise with USCC {code}", field="uscc")
    authorize(principal, action, enterprise.area_path, f"enterprise {code}")
    return enterprise


def list_enterprises(
    uow: UnitOfWork,
    principal: Principal,
    *,
    within: str | None = None,
    name: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page[Enterprise]:
    """Enterprises in the caller's subtree (below `within`, if given), by area then name."""
    if page < 1:
        raise InvalidInput("page must be 1 or more", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page_size must be between 1 and {MAX_PAGE_SIZE}", field="page_size")
    with uow:
        root = None
        if within is not None:
            root = access_area(uow, principal, within, Action.READ, with_geometry=False).path
        return uow.enterprises.listing(
            scopes_for(principal, Action.READ),
            within=root,
            name=name.strip() if name else None,
            offset=(page - 1) * page_size,
            limit=page_size,
        )


def get_enterprise(
    uow: UnitOfWork,
    principal: Principal,
    uscc: str,
    *,
    rules: CaseRules | None = None,
    now: datetime | None = None,
) -> EnterpriseView:
    """One enterprise with its history and its requests, each with its case's status
    and, given the rules, the department its category routes it to."""
    with uow:
        enterprise = access_enterprise(uow, principal, uscc, Action.READ)
        history = uow.enterprises.history(enterprise.id)
        requests = uow.enterprises.requests(enterprise.id)
    if rules is not None and now is not None:
        requests = [
            replace(r, responsible_department=rules.category(r.category, on=now).department)
            for r in requests
        ]
    return EnterpriseView(enterprise=enterprise, history=history, requests=requests)


def assign_official(
    uow: UnitOfWork, principal: Principal, uscc: str, username: str, *, now: datetime
) -> Enterprise:
    """包联: make `username` the official responsible for the enterprise."""
    with uow:
        enterprise = access_enterprise(uow, principal, uscc, Action.MANAGE_AREAS)
        user = uow.users.get_by_username(username.strip())
        if user is None:
            raise NotFound(f"no user {username}", field="username")
        if not user.active:
            raise InvalidInput(f"user {user.username} is not active", field="username")
        official = Principal(user.id, user.username, tuple(uow.users.grants(user.id)))
        try:
            authorize(official, Action.READ, enterprise.area_path, f"enterprise {enterprise.uscc}")
        except Forbidden:
            raise InvalidInput(
                f"user {user.username} holds no grant covering area {enterprise.area_code}, "
                f"so could not follow enterprise {enterprise.uscc}",
                field="username",
            ) from None
        uow.enterprises.set_official(enterprise.id, user.id)
        entry = HistoryEntry(
            now, principal.username, HistoryKind.OFFICIAL_ASSIGNED, {"official": user.username}
        )
        uow.enterprises.add_history(enterprise.id, entry)
        uow.commit()
    return replace(enterprise, official=user.username)


def submit_enterprise_request(
    uow: UnitOfWork,
    locators: LocatorProvider,
    rules: CaseRules,
    principal: Principal,
    uscc: str,
    kind: RequestKind,
    description: str,
    *,
    now: datetime,
    snap_tolerance_m: float,
    idempotency_key: str | None = None,
    feed: FeedPublisher | None = None,
) -> Reported:
    """An enterprise's request becomes a case of its enterprise-service class at the
    enterprise's area, timed by that class's limits like any case.

    The caller must be able to work where the enterprise lies. A case acceptor there
    reports as themselves; anyone else (the 包联干部, a street officer) hands the request
    to the enterprise channel, which may report at that one area only.
    """
    if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        raise InvalidInput(
            f"an idempotency key has 1 to {MAX_IDEMPOTENCY_KEY} characters",
            field="idempotency_key",
        )
    with uow:
        enterprise = access_enterprise(uow, principal, uscc, Action.OPERATE)
    held = positions_at(principal, enterprise.area_path)
    reporter = (
        principal
        if Position.ACCEPTOR in held
        else channel_principal("enterprise", enterprise.area_code, enterprise.area_path)
    )
    key = f"{enterprise.uscc}:{idempotency_key or uuid.uuid4().hex}"

    def link(in_uow: UnitOfWork, case: Case) -> None:
        """In the case's own transaction: the request joins the enterprise's history."""
        _link_request(in_uow, enterprise.id, case.id, kind, principal.username, now)

    reported = report_case(
        uow,
        locators,
        rules,
        reporter,
        ReportRequest(
            category=kind.category,
            description=description,
            source=Source.ENTERPRISE,
            area_code=enterprise.area_code,
            contact=Contact(name=enterprise.contact_name, phone=enterprise.contact_phone),
            idempotency_key=key,
        ),
        now=now,
        snap_tolerance_m=snap_tolerance_m,
        feed=feed,
        before_commit=link,
    )
    if not reported.created:  # a retry: link it, should an earlier attempt have stopped short
        with uow:
            _link_request(uow, enterprise.id, reported.case.id, kind, principal.username, now)
            uow.commit()
    return reported


def _link_request(
    uow: UnitOfWork, enterprise_id: int, case_id: int, kind: RequestKind, actor: str, at: datetime
) -> None:
    if uow.enterprises.link_request(enterprise_id, case_id, kind, actor, at):
        data = {"case_id": case_id, "kind": kind.value, "category": kind.category}
        entry = HistoryEntry(at, actor, HistoryKind.REQUEST_SUBMITTED, data)
        uow.enterprises.add_history(enterprise_id, entry)
