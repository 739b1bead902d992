"""A unit's answers to a directive: sign, progress, completion; and the issuer's 返工."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from civicgrid.domain.access import Action, Principal, authorize
from civicgrid.domain.directives import Directive, Receipt
from civicgrid.domain.directives import responding as rules
from civicgrid.domain.directives.issuing import access_issuer_area
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.domain.forms import photo_ids
from civicgrid.domain.ledger import LedgerEntry
from civicgrid.services.directives.access import access_receipt, receipt_stream
from civicgrid.services.directives.attachments import check_attachments
from civicgrid.services.directives.issuing import publish_directive
from civicgrid.services.feed import FeedPublisher
from civicgrid.services.ports import UnitOfWork

MAX_NOTE = 4000


def _load(uow: UnitOfWork, directive_id: int) -> Directive:
    directive = uow.directives.get(directive_id)
    if directive is None:
        raise NotFound(f"no directive {directive_id}", field="directive_id")
    return directive


def _act(
    uow: UnitOfWork,
    principal: Principal,
    directive_id: int,
    area_code: str,
    kind: str,
    change: Callable[[Directive, Receipt, UnitOfWork], Receipt],
    data: Callable[[Receipt], dict[str, Any]],
    *,
    now: datetime,
    feed: FeedPublisher | None,
    issuer_only: bool = False,
) -> Receipt:
    with uow:
        directive = _load(uow, directive_id)
        action = Action.READ if issuer_only else Action.OPERATE
        area, receipt = access_receipt(uow, principal, directive, area_code, action)
        if issuer_only:
            what = f"send back work on directive {directive.id}"
            access_issuer_area(principal, directive.issuer_path, what)
        updated = change(directive, receipt, uow)
        uow.directives.save_receipt(receipt, updated)
        uow.ledger.append(
            LedgerEntry(
                stream=receipt_stream(directive.id, area.code),
                seq=0,
                type=kind,
                at=now,
                actor=principal.username,
                area_path=receipt.area_path,
                data={"version": directive.version, **data(updated)},
            )
        )
        uow.commit()
    publish_directive(feed, directive, f"directive_{kind}", [receipt.area_path], now)
    return updated


def sign_receipt(
    uow: UnitOfWork,
    principal: Principal,
    directive_id: int,
    area_code: str,
    *,
    now: datetime,
    feed: FeedPublisher | None = None,
) -> Receipt:
    """签收: the unit confirms it has the directive (again, after a material revision)."""
    return _act(
        uow,
        principal,
        directive_id,
        area_code,
        "signed",
        lambda d, r, _: rules.sign(d, r, now),
        lambda r: {"signed_version": r.signed_version},
        now=now,
        feed=feed,
    )


def report_receipt_progress(
    uow: UnitOfWork,
    principal: Principal,
    directive_id: int,
    area_code: str,
    percent: int,
    note: str,
    *,
    now: datetime,
    feed: FeedPublisher | None = None,
) -> Receipt:
    return _act(
        uow,
        principal,
        directive_id,
        area_code,
        "progress",
        lambda d, r, _: rules.report_progress(d, r, percent, note[:MAX_NOTE], now),
        lambda r: {"percent": r.progress, "note": r.note},
        now=now,
        feed=feed,
    )


def complete_receipt(
    uow: UnitOfWork,
    principal: Principal,
    directive_id: int,
    area_code: str,
    values: dict[str, Any],
    note: str,
    *,
    now: datetime,
    feed: FeedPublisher | None = None,
) -> Receipt:
    """Submit the feedback form; photos are attachment ids uploaded beforehand."""

    def change(directive: Directive, receipt: Receipt, uow: UnitOfWork) -> Receipt:
        done = rules.complete(directive, receipt, values, note[:MAX_NOTE], now)
        photos = photo_ids(directive.content.form, done.feedback)
        check_attachments(uow, principal, photos, field="values")
        return done

    return _act(
        uow,
        principal,
        directive_id,
        area_code,
        "completed",
        change,
        lambda r: {"values": r.feedback, "note": r.note},
        now=now,
        feed=feed,
    )


def send_back_receipt(
    uow: UnitOfWork,
    principal: Principal,
    directive_id: int,
    area_code: str,
    reason: str,
    *,
    now: datetime,
    feed: FeedPublisher | None = None,
) -> Receipt:
    """返工: the issuer returns a completion to the unit, with the reason."""
    if not reason.strip():
        raise InvalidInput("say why the work goes back", field="reason")

    def change(directive: Directive, receipt: Receipt, uow: UnitOfWork) -> Receipt:
        uow.notifications.add(
            [receipt.area_path],
            case_id=None,
            kind="directive_rework",
            urgent=False,
            message=f"【返工】directive {directive.id}: {reason[:200]}",
            now=now,
        )
        return rules.send_back(directive, receipt, now)

    return _act(
        uow,
        principal,
        directive_id,
        area_code,
        "rework",
        change,
        lambda _: {"reason": reason[:MAX_NOTE]},
        now=now,
        feed=feed,
        issuer_only=True,
    )


MAX_BATCH = 1000


def sign_receipts(
    uow: UnitOfWork,
    principal: Principal,
    directive_id: int,
    codes: Sequence[str],
    *,
    now: datetime,
    feed: FeedPublisher | None = None,
) -> list[Receipt]:
    """签收 for many units in one go (an officer for the units below them, or a device
    syncing signatures taken offline): all of them, or none when one cannot sign."""
    wanted = list(dict.fromkeys(codes))
    if not 1 <= len(wanted) <= MAX_BATCH:
        raise InvalidInput(f"sign for 1 to {MAX_BATCH} units at a time", field="codes")
    with uow:
        directive = _load(uow, directive_id)
        found = {r.area_code: r for r in uow.directives.receipts_of_units(directive.id, wanted)}
        if missing := [code for code in wanted if code not in found]:
            raise NotFound(
                f"directive {directive.id} did not reach {', '.join(missing[:10])}", field="codes"
            )
        pairs = []
        for code in wanted:
            receipt = found[code]
            authorize(principal, Action.OPERATE, receipt.area_path, f"the receipt of {code}")
            pairs.append((receipt, rules.sign(directive, receipt, now)))
        uow.directives.sign_receipts(
            [old.id for old, _ in pairs], directive.version, directive.material_version, now
        )
        uow.ledger.append_many(
            [
                LedgerEntry(
                    stream=receipt_stream(directive.id, new.area_code),
                    seq=0,
                    type="signed",
                    at=now,
                    actor=principal.username,
                    area_path=new.area_path,
                    data={"version": directive.version, "signed_version": new.signed_version},
                )
                for _, new in pairs
            ]
        )
        uow.commit()
    publish_directive(feed, directive, "directive_signed", [new.area_path for _, new in pairs], now)
    return [new for _, new in pairs]
