"""Fetching a directive or a receipt with the permission check (the `access_*` helpers)."""

from __future__ import annotations

from civicgrid.domain.access import Action, Principal, authorize, readable_scopes
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.directives import Directive, Receipt
from civicgrid.domain.errors import NotFound
from civicgrid.services.areas import access_area
from civicgrid.services.directive_ports import ReceiptFilter
from civicgrid.services.ports import UnitOfWork


def access_directive(uow: UnitOfWork, principal: Principal, directive_id: int) -> Directive:
    """A directive the caller may read: issued inside their jurisdiction, or reaching
    into it. Any other is "not found": its existence is not news."""
    directive = uow.directives.get(directive_id)
    if directive is not None:
        for scope in readable_scopes(principal):
            if is_within(directive.issuer_path, scope):
                return directive
            if is_within(scope, directive.issuer_path):
                reached = uow.directives.receipts(
                    directive, ReceiptFilter(within=scope), offset=0, limit=1
                )
                if reached.count:
                    return directive
    raise NotFound(f"no directive {directive_id}", field="directive_id")


def access_receipt(
    uow: UnitOfWork, principal: Principal, directive: Directive, area_code: str, action: Action
) -> tuple[Area, Receipt]:
    area = access_area(uow, principal, area_code, action, with_geometry=False)
    receipt = uow.directives.receipt(directive.id, area.path)
    if receipt is None:
        raise NotFound(f"directive {directive.id} did not reach {area.code}", field="area_code")
    authorize(principal, action, receipt.area_path, f"the receipt of {area.code}")
    return area, receipt


def directive_stream(directive_id: int) -> str:
    return f"directive:{directive_id}"


def receipt_stream(directive_id: int, area_code: str) -> str:
    return f"directive:{directive_id}:receipt:{area_code}"
