"""Importing a 12345 hotline export: each work order becomes a hotline case, once.

Rows are independent: a bad row is reported with its number and reason and the
others still go in. An order id seen before (in this file or an earlier import)
creates nothing. Each order is reported by the hotline channel, a case acceptor over
the import's subtree, so the access guard judges the import like any reporter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any

from civicgrid.domain.access import Principal
from civicgrid.domain.access.channel import channel_principal
from civicgrid.domain.areas import Level
from civicgrid.domain.cases import controls
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source
from civicgrid.domain.errors import DomainError, InvalidInput, NotFound
from civicgrid.domain.hotline import (
    AddressIndex,
    Cell,
    HotlineMapping,
    HotlineOrder,
    Placed,
    read_order,
)
from civicgrid.services.addresses import load_address_index
from civicgrid.services.case_ports import CaseRules, Contact
from civicgrid.services.cases.intake import ReportRequest, report_case
from civicgrid.services.cases.ticking import schedule_for
from civicgrid.services.channel_ports import HotlineRecord
from civicgrid.services.feed import FeedPublisher, publish_case_event
from civicgrid.services.ports import LocatorProvider, UnitOfWork

CHANNEL = "hotline"


class RowStatus(StrEnum):
    CREATED = "created"
    ALREADY_IMPORTED = "already_imported"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class RowOutcome:
    row: int
    order_id: str
    status: RowStatus
    case_id: int | None = None
    area_code: str | None = None
    located_level: Level | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "order_id": self.order_id,
            "status": self.status.value,
            "case_id": self.case_id,
            "area_code": self.area_code,
            "located_level": self.located_level.slug if self.located_level else None,
            "reason": self.reason,
        }


@dataclass(slots=True)
class HotlineImport:
    source_file: str
    outcomes: list[RowOutcome] = field(default_factory=list)

    def count(self, status: RowStatus) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def filed_above_micro_grid(self) -> int:
        return sum(
            1
            for o in self.outcomes
            if o.status is RowStatus.CREATED and o.located_level not in (None, Level.MICRO_GRID)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.source_file,
            "rows": len(self.outcomes),
            "created": self.count(RowStatus.CREATED),
            "already_imported": self.count(RowStatus.ALREADY_IMPORTED),
            "rejected": self.count(RowStatus.REJECTED),
            "filed_above_micro_grid": self.filed_above_micro_grid,
            "outcomes": [o.as_dict() for o in self.outcomes],
        }


def hotline_principal(uow: UnitOfWork, within: str | None) -> Principal:
    """The hotline channel over `within`'s subtree, or over the whole hierarchy."""
    with uow:
        if within is not None:
            area = uow.areas.get(within, with_geometry=False) if within.isdigit() else None
            if area is None:
                raise NotFound(f"no area with code {within}", field="within")
        else:
            cities = uow.areas.subtree(
                "/", level=Level.CITY, offset=0, limit=2, with_geometry=False
            ).items
            if len(cities) != 1:
                raise NotFound("import the area hierarchy (one city) first", field="within")
            area = cities[0]
    return channel_principal(CHANNEL, area.code, area.path)


def import_hotline_orders(
    uow: UnitOfWork,
    locators: LocatorProvider,
    rules: CaseRules,
    rows: Iterable[tuple[int, Mapping[str, Cell]]],
    mapping: HotlineMapping,
    *,
    zone: tzinfo,
    now: datetime,
    snap_tolerance_m: float,
    within: str | None = None,
    source_file: str = "",
    feed: FeedPublisher | None = None,
) -> HotlineImport:
    """File every good row of a 12345 export as a hotline case; report the rest."""
    channel = hotline_principal(uow, within)
    scope = channel.grants[0].area_path
    with uow:
        index = load_address_index(uow, scope)
    result = HotlineImport(source_file=source_file)
    seen: dict[str, int] = {}
    for row, cells in rows:
        try:
            order = read_order(row, cells, mapping, zone)
        except DomainError as exc:
            order_id = str(cells.get(mapping.order_id) or "")
            result.outcomes.append(_rejected(row, order_id, exc))
            continue
        if order.order_id in seen:
            reason = f"order {order.order_id} appears already on row {seen[order.order_id]}"
            result.outcomes.append(
                RowOutcome(row, order.order_id, RowStatus.REJECTED, reason=reason)
            )
            continue
        seen[order.order_id] = row
        try:
            outcome = _import_one(
                uow,
                locators,
                rules,
                channel,
                index,
                order,
                now,
                snap_tolerance_m,
                source_file,
                feed,
            )
        except DomainError as exc:
            outcome = _rejected(row, order.order_id, exc)
        result.outcomes.append(outcome)
    return result


def _rejected(row: int, order_id: str, error: DomainError) -> RowOutcome:
    where = f"{error.field}: " if error.field else ""
    return RowOutcome(row, order_id, RowStatus.REJECTED, reason=where + error.message)


def _import_one(
    uow: UnitOfWork,
    locators: LocatorProvider,
    rules: CaseRules,
    channel: Principal,
    index: AddressIndex,
    order: HotlineOrder,
    now: datetime,
    snap_tolerance_m: float,
    source_file: str,
    feed: FeedPublisher | None,
) -> RowOutcome:
    with uow:
        earlier = uow.hotline_orders.find(order.order_id)
    if earlier is not None:
        return RowOutcome(
            order.row,
            order.order_id,
            RowStatus.ALREADY_IMPORTED,
            case_id=earlier.case_id,
            area_code=earlier.area_code,
            located_level=earlier.located_level,
        )
    filing = (uow, locators, rules, channel, order, now, snap_tolerance_m, source_file, feed)
    if order.lat is not None:
        try:
            return _file_order(*filing, placed=None)
        except InvalidInput as exc:
            # Exports carry stray points (0, 0; another datum); the address may still do.
            if exc.field not in ("lat", "lon") or not order.address:
                raise
    return _file_order(*filing, placed=index.place(order.address))


def _file_order(
    uow: UnitOfWork,
    locators: LocatorProvider,
    rules: CaseRules,
    channel: Principal,
    order: HotlineOrder,
    now: datetime,
    snap_tolerance_m: float,
    source_file: str,
    feed: FeedPublisher | None,
    *,
    placed: Placed | None,
) -> RowOutcome:
    """Open the order's case at the point (`placed` None) or at the placed area."""
    level = placed.level if placed else Level.MICRO_GRID
    record = HotlineRecord(
        order_id=order.order_id,
        case_id=0,  # known once the case is open
        located_level=level,
        received_at=order.received_at,
        imported_at=now,
        source_file=source_file,
    )
    noted: list[tuple[Case, CaseEvent]] = []

    def keep(in_uow: UnitOfWork, case: Case) -> None:
        """In the case's own transaction: the note on where it is filed, the order record."""
        if placed is not None:
            text = (
                f"12345 地址只定位到{placed.level.name_zh}级（{' / '.join(placed.matched)}），"
                f"按{placed.level.name_zh}立卷。Located by address to {placed.level.slug} "
                f"level only; filed at {placed.code}."
            )
            event = controls.note(case, channel.username, Position.ACCEPTOR, now, text)
            updated = case.apply(event)
            in_uow.cases.append(updated, event, schedule_for(rules, updated))
            noted.append((updated, event))
        in_uow.hotline_orders.record(replace(record, case_id=case.id))

    reported = report_case(
        uow,
        locators,
        rules,
        channel,
        ReportRequest(
            category=order.category,
            description=order.case_description,
            source=Source.HOTLINE,
            lat=None if placed else order.lat,
            lon=None if placed else order.lon,
            area_code=placed.code if placed else None,
            contact=Contact(name=order.contact_name, phone=order.contact_phone),
            idempotency_key=f"{CHANNEL}:{order.order_id}",
        ),
        now=now,
        snap_tolerance_m=snap_tolerance_m,
        feed=feed,
        before_commit=keep,
    )
    case = reported.case
    if not reported.created:  # a case without its record, from before records were atomic
        with uow:
            uow.hotline_orders.record(replace(record, case_id=case.id))
            uow.commit()
        return RowOutcome(
            order.row,
            order.order_id,
            RowStatus.ALREADY_IMPORTED,
            case_id=case.id,
            area_code=case.area_code,
            located_level=level,
        )
    for updated, event in noted:
        publish_case_event(feed, updated, event)
    return RowOutcome(
        order.row,
        order.order_id,
        RowStatus.CREATED,
        case_id=case.id,
        area_code=case.area_code,
        located_level=level,
    )
