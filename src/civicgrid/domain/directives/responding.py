"""What a unit may do with its receipt, and what the issuer may send back.

Each function returns the receipt as it becomes, or raises Conflict naming why not.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from civicgrid.domain.directives.model import Directive, Receipt, ReceiptState
from civicgrid.domain.errors import Conflict, InvalidInput
from civicgrid.domain.forms import check_answer

_OPEN = frozenset({ReceiptState.SIGNED, ReceiptState.IN_PROGRESS, ReceiptState.REWORK})


def _check_live(directive: Directive) -> None:
    if not directive.active:
        raise Conflict(f"directive {directive.id} was revoked; it takes no more responses")


def needs_signature(directive: Directive, receipt: Receipt) -> bool:
    return receipt.signed_version < directive.material_version


def sign(directive: Directive, receipt: Receipt, now: datetime) -> Receipt:
    _check_live(directive)
    if not needs_signature(directive, receipt):
        raise Conflict(
            f"{receipt.area_code} signed directive {directive.id} "
            f"(version {receipt.signed_version}) already"
        )
    state = ReceiptState.SIGNED if receipt.state is ReceiptState.PENDING else receipt.state
    return replace(
        receipt, state=state, signed_version=directive.version, signed_at=now, updated_at=now
    )


def _check_working(directive: Directive, receipt: Receipt) -> None:
    _check_live(directive)
    if needs_signature(directive, receipt):
        what = "sign" if receipt.signed_version == 0 else "sign the revised version"
        raise Conflict(f"{receipt.area_code} must {what} of directive {directive.id} first")


def report_progress(
    directive: Directive, receipt: Receipt, percent: int, note: str, now: datetime
) -> Receipt:
    _check_working(directive, receipt)
    if receipt.state not in _OPEN:
        raise Conflict(f"{receipt.area_code} has completed directive {directive.id} already")
    if not 0 <= percent <= 100:
        raise InvalidInput("progress is a percentage from 0 to 100", field="percent")
    return replace(
        receipt, state=ReceiptState.IN_PROGRESS, progress=percent, note=note, updated_at=now
    )


def complete(
    directive: Directive, receipt: Receipt, values: dict[str, Any], note: str, now: datetime
) -> Receipt:
    """Submit the feedback form; the answer is checked against the directive's form."""
    _check_working(directive, receipt)
    if receipt.state not in _OPEN:
        raise Conflict(f"{receipt.area_code} has completed directive {directive.id} already")
    answer = check_answer(directive.content.form, values, where="values")
    return replace(
        receipt,
        state=ReceiptState.DONE,
        progress=100,
        note=note,
        feedback=answer,
        done_at=now,
        updated_at=now,
    )


def send_back(directive: Directive, receipt: Receipt, now: datetime) -> Receipt:
    """返工: the issuer rejects a completion; the unit works on it again."""
    _check_live(directive)
    if receipt.state is not ReceiptState.DONE:
        raise Conflict(f"{receipt.area_code} has not completed directive {directive.id}")
    return replace(receipt, state=ReceiptState.REWORK, done_at=None, updated_at=now)
