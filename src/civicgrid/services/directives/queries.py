"""Reading directives: the list, one directive, its roll-up per level, its receipts
(the laggards among them), its versions and its log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from civicgrid.domain.access import Action, Principal, authorize, readable_scopes
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.directives import Counts, Directive, Receipt, ReceiptState, RollupRow
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.domain.ledger import LedgerEntry, verify_stream
from civicgrid.services.directive_ports import ReceiptFilter, Version
from civicgrid.services.directives.access import (
    access_directive,
    access_receipt,
    directive_stream,
    receipt_stream,
)
from civicgrid.services.ports import Page, UnitOfWork

MAX_PAGE_SIZE = 500


class Show(StrEnum):
    """Which receipts to list."""

    ALL = "all"
    UNSIGNED = "unsigned"  # not signed at the current material version
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_DONE = "not_done"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Rollup:
    directive: Directive
    node: RollupRow  # the area asked about, all units below it together
    children: list[RollupRow]  # one row per child that has targeted units below it
    at: datetime


def _check_page(page: int, page_size: int) -> None:
    if page < 1:
        raise InvalidInput("page must be 1 or more", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page_size must be between 1 and {MAX_PAGE_SIZE}", field="page_size")


def get_directive(uow: UnitOfWork, principal: Principal, directive_id: int) -> Directive:
    with uow:
        return access_directive(uow, principal, directive_id)


def list_directives(
    uow: UnitOfWork, principal: Principal, *, page: int = 1, page_size: int = 50
) -> Page[Directive]:
    _check_page(page, page_size)
    with uow:
        return uow.directives.listing(
            readable_scopes(principal), offset=(page - 1) * page_size, limit=page_size
        )


def _node(uow: UnitOfWork, principal: Principal, directive: Directive, code: str | None) -> Area:
    """The area to roll up at: `code`, or the issuer's area, or the caller's own area
    when the issuer's lies above their jurisdiction."""
    if code is None:
        scopes = readable_scopes(principal)
        if any(is_within(directive.issuer_path, s) for s in scopes):
            code = directive.issuer_code
        else:
            inside = [s for s in scopes if is_within(s, directive.issuer_path)]
            code = inside[0].rstrip("/").rsplit("/", 1)[-1]
    area = uow.areas.get(code, with_geometry=False) if code.isdigit() else None
    if area is None:
        raise NotFound(f"no area with code {code}", field="at")
    if not is_within(area.path, directive.issuer_path):
        raise InvalidInput(
            f"{area.code} lies outside the area of directive {directive.id}", field="at"
        )
    authorize(principal, Action.READ, area.path, f"the roll-up at {area.code}")
    return area


def _row(area: Area, counts: Counts, directive: Directive, now: datetime) -> RollupRow:
    return RollupRow(
        area.code,
        area.name_zh,
        area.name_en,
        area.level.slug,
        counts,
        counts.overdue(directive, now),
    )


def get_rollup(
    uow: UnitOfWork,
    principal: Principal,
    directive_id: int,
    *,
    at: str | None = None,
    now: datetime,
) -> Rollup:
    """Targeted, signed, in progress, done and overdue at an area and each of its children."""
    with uow:
        directive = access_directive(uow, principal, directive_id)
        node = _node(uow, principal, directive, at)
        found = uow.directives.rollup(directive, node.path)
    total = found.own
    children = []
    for child, counts in found.children:
        total += counts
        children.append(
            RollupRow(
                child.code,
                child.name_zh,
                child.name_en,
                child.level.slug,
                counts,
                counts.overdue(directive, now),
            )
        )
    return Rollup(
        directive=directive,
        node=_row(node, total, directive, now),
        children=children,
        at=now,
    )


def _filter(directive: Directive, within: str, show: Show, now: datetime) -> ReceiptFilter | None:
    not_done = (
        ReceiptState.PENDING,
        ReceiptState.SIGNED,
        ReceiptState.IN_PROGRESS,
        ReceiptState.REWORK,
    )
    if show is Show.ALL:
        return ReceiptFilter(within)
    if show is Show.UNSIGNED:
        return ReceiptFilter(within, unsigned=True)
    if show is Show.IN_PROGRESS:
        return ReceiptFilter(within, states=(ReceiptState.IN_PROGRESS, ReceiptState.REWORK))
    if show is Show.DONE:
        return ReceiptFilter(within, states=(ReceiptState.DONE,))
    if show is Show.NOT_DONE:
        return ReceiptFilter(within, states=not_done)
    content = directive.content
    if not directive.active:
        return None
    if content.complete_deadline_at is not None and now > content.complete_deadline_at:
        return ReceiptFilter(within, states=not_done)
    if content.sign_deadline_at is not None and now > content.sign_deadline_at:
        return ReceiptFilter(within, unsigned=True)
    return None  # nothing is overdue yet


def list_receipts(
    uow: UnitOfWork,
    principal: Principal,
    directive_id: int,
    *,
    within: str | None = None,
    show: Show = Show.ALL,
    now: datetime,
    page: int = 1,
    page_size: int = 100,
) -> tuple[Page[Receipt], dict[str, Area]]:
    """Receipts below an area, in path order, with their areas; drill-down to laggards."""
    _check_page(page, page_size)
    with uow:
        directive = access_directive(uow, principal, directive_id)
        node = _node(uow, principal, directive, within)
        where = _filter(directive, node.path, show, now)
        if where is None:
            return Page(items=[], count=0), {}
        found = uow.directives.receipts(
            directive, where, offset=(page - 1) * page_size, limit=page_size
        )
        areas = uow.areas.get_by_path([r.area_path for r in found.items])
    return found, {a.path: a for a in areas}


def get_receipt(
    uow: UnitOfWork, principal: Principal, directive_id: int, area_code: str
) -> tuple[Directive, Receipt, list[LedgerEntry]]:
    with uow:
        directive = access_directive(uow, principal, directive_id)
        area, receipt = access_receipt(uow, principal, directive, area_code, Action.READ)
        history = uow.ledger.stream(receipt_stream(directive.id, area.code))
    return directive, receipt, history


def list_versions(uow: UnitOfWork, principal: Principal, directive_id: int) -> list[Version]:
    with uow:
        directive = access_directive(uow, principal, directive_id)
        return uow.directives.versions(directive.id)


def verify_directive_log(uow: UnitOfWork, directive_id: int) -> tuple[int, list[str]]:
    """(entries checked, problems) over the directive's chain and every receipt's."""
    with uow:
        stream = directive_stream(directive_id)
        streams = [stream, *uow.ledger.streams_with_prefix(stream + ":")]
        checked, problems = 0, []
        for name in streams:
            entries = uow.ledger.stream(name)
            checked += len(entries)
            problems += verify_stream(entries)
    return checked, problems
