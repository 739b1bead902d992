"""Reporting a problem: route it by location to its micro-grid, open the case, notify.

Every read comes before the first write, so that on SQLite the write transaction (and
its lock on the database) lasts only for the case's few statements.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from civicgrid.domain.access import Action, Principal, authorize
from civicgrid.domain.areas import Area
from civicgrid.domain.cases import duplicates, intake
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.duplicates import Candidate
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.positions import positions_at
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source, Urgency
from civicgrid.domain.citizens.reporter import PublicReporter
from civicgrid.domain.errors import Forbidden, InvalidInput, NotFound
from civicgrid.domain.sensors.reporter import SensorReporter
from civicgrid.services.area_chains import AreaChainProvider, AreaChains
from civicgrid.services.areas import access_area
from civicgrid.services.attachments import attach_to_case
from civicgrid.services.case_ports import CaseDraft, CaseRules, Contact, NewCase
from civicgrid.services.cases.duplicates import (
    find_suspected_duplicates,
    flag_suspected_duplicates,
)
from civicgrid.services.cases.notify import new_case_notice, notify_new_case
from civicgrid.services.cases.ticking import schedule_for
from civicgrid.services.feed import FeedPublisher, publish_case_event
from civicgrid.services.locating import check_coordinates
from civicgrid.services.ports import LocatorProvider, UnitOfWork

MAX_DESCRIPTION = 4000


@dataclass(frozen=True, slots=True)
class ReportRequest:
    category: str
    description: str
    source: Source
    lat: float | None = None
    lon: float | None = None
    area_code: str | None = None
    urgency: Urgency | None = None  # None: the category's default
    contact: Contact = field(default_factory=Contact)
    attachments: tuple[str, ...] = ()
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class Reported:
    case: Case
    created: bool  # False when an idempotency key found an earlier case
    snapped_m: float | None = None
    events: tuple[CaseEvent, ...] = ()  # of a new case: all it has, to answer without a read


def report_case(
    uow: UnitOfWork,
    locators: LocatorProvider,
    rules: CaseRules,
    principal: Principal | PublicReporter | SensorReporter,
    request: ReportRequest,
    *,
    now: datetime,
    snap_tolerance_m: float,
    feed: FeedPublisher | None = None,
    before_commit: Callable[[UnitOfWork, Case], None] | None = None,
    chains: AreaChainProvider | None = None,
) -> Reported:
    """Open a case at the micro-grid of the reported point (or the given area).

    Staff report inside their jurisdiction in their workflow position; a
    `PublicReporter` reports anywhere, as the case's REPORTER. `before_commit` records
    what a channel keeps of the case in the same transaction. `chains` (one per
    process) keeps the areas' chains between calls.
    """
    check_report(rules, request, now=now)
    with uow:
        planned = plan_report(
            uow, locators, rules, principal, request, now=now,
            snap_tolerance_m=snap_tolerance_m, chains=chains,
        )  # fmt: skip
        if isinstance(planned, Reported):
            return planned
        opened = open_planned(uow, rules, planned)
        if before_commit is not None:
            before_commit(uow, opened.reported.case)
        uow.commit()
    opened.publish(feed)
    return opened.reported


@dataclass(frozen=True, slots=True)
class PlannedReport:
    """A new case as read before the first write: where it goes, who reports it."""

    principal: Principal
    request: ReportRequest
    category: str
    key: str | None
    chain: list[Area]
    snapped_m: float | None
    position: Position
    urgency: Urgency
    now: datetime


@dataclass(frozen=True, slots=True)
class Opened:
    reported: Reported
    first: Case  # before any duplicate flag: what the feed is told
    event: CaseEvent

    def publish(self, feed: FeedPublisher | None) -> None:
        """After the commit."""
        publish_case_event(feed, self.first, self.event)


def check_report(rules: CaseRules, request: ReportRequest, *, now: datetime) -> None:
    """What needs no database: the description's length, and that the category exists."""
    if len(request.description) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"description has {len(request.description)} characters; at most {MAX_DESCRIPTION}",
            field="description",
        )
    rules.category(request.category, on=now)


def plan_report(
    uow: UnitOfWork,
    locators: LocatorProvider,
    rules: CaseRules,
    reporter: Principal | PublicReporter | SensorReporter,
    request: ReportRequest,
    *,
    now: datetime,
    snap_tolerance_m: float,
    chains: AreaChainProvider | None = None,
    keys_read: Mapping[str, int] | None = None,
) -> PlannedReport | Reported:
    """Every read of a report, in the caller's open `uow`: the earlier case of its
    idempotency key (a replay), else the plan of a new case. Nothing is written.

    `keys_read`: the cases of the keys the caller has already read in this `uow`,
    this report's among them, so a key missing there has no case."""
    principal = principal_of(reporter)
    facts = rules.category(request.category, on=now)
    key = idempotency_key(principal, request)
    if key is not None:
        earlier = (
            keys_read.get(key) if keys_read is not None else uow.cases.find_by_idempotency_key(key)
        )
        if earlier is not None:
            case = uow.cases.get(earlier)
            assert case is not None  # noqa: S101 - the row and its first event commit together
            _check_replay(reporter, case)
            return Reported(case=case, created=False)
    chain, snapped = _route(uow, locators, chains or AreaChains(), request, snap_tolerance_m)
    return PlannedReport(
        principal=principal,
        request=request,
        category=facts.code,
        key=key,
        chain=chain,
        snapped_m=snapped,
        position=_reporting_position(reporter, chain[-1], request.source),
        urgency=request.urgency or facts.urgency,
        now=now,
    )


def idempotency_key(principal: Principal, request: ReportRequest) -> str | None:
    """The key as stored: scoped to the user who sent it."""
    if not request.idempotency_key:
        return None
    return f"{principal.username}:{request.idempotency_key}"


def principal_of(reporter: Principal | PublicReporter | SensorReporter) -> Principal:
    return reporter.principal if isinstance(reporter, PublicReporter | SensorReporter) else reporter


def open_planned(uow: UnitOfWork, rules: CaseRules, plan: PlannedReport) -> Opened:
    """Every write of a new case, in the caller's open `uow`; the caller commits."""
    request = plan.request
    draft = _draft(plan)
    case_id = uow.cases.open_case(draft, idempotency_key=plan.key)
    attach_to_case(uow, plan.principal, case_id, request.attachments)
    event, case = _first_event(plan, case_id)
    uow.cases.append(case, event, schedule_for(rules, case))
    if request.contact != Contact():
        uow.cases.save_contact(case_id, request.contact)
    notify_new_case(uow, case, plan.chain, now=plan.now)
    flagged = flag_suspected_duplicates(uow, rules, case, now=plan.now)
    events = (event,) if flagged is case else tuple(uow.cases.events(case_id))
    reported = Reported(case=flagged, created=True, snapped_m=plan.snapped_m, events=events)
    return Opened(reported=reported, first=case, event=event)


def open_planned_all(
    uow: UnitOfWork, rules: CaseRules, plans: Sequence[PlannedReport]
) -> list[Opened]:
    """As `open_planned` for each plan in turn, but written together: the cases, their
    events and their notifications in one statement each. A later report's duplicate
    search sees the earlier ones of `plans`, as it would one after another."""
    ids = uow.cases.reserve_ids(len(plans))
    opened: list[Opened] = []
    new_cases: list[NewCase] = []
    earlier: list[Candidate] = []
    for plan, case_id in zip(plans, ids, strict=True):
        event, case = _first_event(plan, case_id)
        suspects = find_suspected_duplicates(uow, rules, case, also=earlier)
        events: tuple[CaseEvent, ...] = (event,)
        flagged = case
        if suspects:
            noted = duplicates.flag_suspects(case, plan.now, suspects)
            flagged, events = case.apply(noted), (event, noted)
        new_cases.append(NewCase(flagged, events, schedule_for(rules, flagged), plan.key))
        if case.location is not None:
            earlier.append(Candidate(case.id, case.category, case.location, case.reported_at))
        reported = Reported(case=flagged, created=True, snapped_m=plan.snapped_m, events=events)
        opened.append(Opened(reported=reported, first=case, event=event))
    uow.cases.insert_new(new_cases)
    for plan, case_id in zip(plans, ids, strict=True):
        attach_to_case(uow, plan.principal, case_id, plan.request.attachments)
        if plan.request.contact != Contact():
            uow.cases.save_contact(case_id, plan.request.contact)
    notices = [
        new_case_notice(done.first, plan.chain, now=plan.now)
        for plan, done in zip(plans, opened, strict=True)
    ]
    uow.notifications.add_all(notices)
    return opened


def _draft(plan: PlannedReport) -> CaseDraft:
    request, area = plan.request, plan.chain[-1]
    return CaseDraft(
        category=plan.category,
        source=request.source,
        urgency=plan.urgency,
        area_code=area.code,
        area_path=area.path,
        description=request.description,
        reported_at=plan.now,
        location=_location(request),
    )


def _location(request: ReportRequest) -> tuple[float, float] | None:
    if request.lat is not None and request.lon is not None:
        return (request.lon, request.lat)
    return None


def _first_event(plan: PlannedReport, case_id: int) -> tuple[CaseEvent, Case]:
    """The sealed report and the case it opens."""
    request, principal, area = plan.request, plan.principal, plan.chain[-1]
    return intake.open_case(
        case_id,
        principal.username,
        plan.position,
        plan.now,
        category=plan.category,
        source=request.source,
        area_code=area.code,
        area_path=area.path,
        description=request.description,
        urgency=plan.urgency,
        reporter_ref=principal.username if plan.position is Position.REPORTER else "",
        location=_location(request),
        attachments=request.attachments,
    )


def _route(
    uow: UnitOfWork,
    locators: LocatorProvider,
    chains: AreaChainProvider,
    request: ReportRequest,
    snap_tolerance_m: float,
) -> tuple[list[Area], float | None]:
    """The chain from the city down to the case's area, and how far the point was moved."""
    if request.lat is not None and request.lon is not None:
        check_coordinates(request.lat, request.lon)
        locator = locators.current(uow)
        location = locator.locate(request.lon, request.lat, snap_tolerance_m)
        if location.code is None:
            raise InvalidInput(
                f"point lat {request.lat}, lon {request.lon} lies outside the jurisdiction "
                f"(no micro-grid within {snap_tolerance_m:g} m)",
                field="lat",
            )
        chain = chains.chain(uow, location.code, version=locator.version)
        if chain is None:
            raise NotFound(f"micro-grid {location.code} vanished; try again", field="lat")
        return chain, location.distance_m if location.snapped else None
    if request.area_code is not None:
        chain = chains.chain(uow, request.area_code, version=uow.areas.version())
        if chain is None:
            raise NotFound(f"no area with code {request.area_code}", field="area_code")
        return chain, None
    raise InvalidInput("give a location (lat and lon) or an area_code", field="lat")


def _check_replay(reporter: Principal | PublicReporter | SensorReporter, case: Case) -> None:
    if isinstance(reporter, SensorReporter):
        return  # the alert pipeline re-sending its own report
    if isinstance(reporter, PublicReporter):
        if case.reporter_ref != reporter.ref:  # the key is scoped to the ref: never
            raise Forbidden(f"case {case.id} was reported by someone else")
        return
    authorize(reporter, Action.READ, case.area_path, f"case {case.id}")


def _reporting_position(
    reporter: Principal | PublicReporter | SensorReporter, area: Area, source: Source
) -> Position:
    if isinstance(reporter, SensorReporter):
        return Position.SYSTEM  # the workflow lets SYSTEM report sensor and video only
    if isinstance(reporter, PublicReporter):
        # The public report anywhere in the jurisdiction, only as themselves; the
        # workflow lets a REPORTER report public sources only.
        return Position.REPORTER
    principal = reporter
    authorize(principal, Action.OPERATE, area.path, f"a case at area {area.code}")
    held = positions_at(principal, area.path)
    for position in (
        Position.INSPECTOR,
        Position.ACCEPTOR,
        Position.SHIFT_LEADER,
        Position.DISPATCHER,
        Position.HANDLER,
    ):
        if position in held:
            return position
    raise Forbidden(
        f"{principal.username} holds no workflow position at area {area.code} "
        f"and cannot report a {source.value} case there"
    )


def access_case(uow: UnitOfWork, principal: Principal, case_id: int, action: Action) -> Case:
    case = uow.cases.get(case_id)
    if case is None:
        raise NotFound(f"no case {case_id}", field="case_id")
    authorize(principal, action, case.area_path, f"case {case_id}")
    return case


__all__ = [
    "Opened",
    "PlannedReport",
    "ReportRequest",
    "Reported",
    "access_area",
    "access_case",
    "check_report",
    "idempotency_key",
    "open_planned",
    "open_planned_all",
    "plan_report",
    "principal_of",
    "report_case",
]
