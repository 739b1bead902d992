"""The scheduler's directive step: remind at 80 % of each deadline, escalate at it.

Each step of each directive is claimed with a conditional update in the same
transaction as its notifications, so a repeated or concurrent tick changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.areas.area import path_codes
from civicgrid.domain.directives import Directive, Priority, ReceiptState
from civicgrid.domain.directives.timing import reminder_at
from civicgrid.domain.ledger import LedgerEntry
from civicgrid.services.directive_ports import ReceiptFilter
from civicgrid.services.directives.access import directive_stream
from civicgrid.services.ports import UnitOfWork

_NOT_DONE = (
    ReceiptState.PENDING,
    ReceiptState.SIGNED,
    ReceiptState.IN_PROGRESS,
    ReceiptState.REWORK,
)


@dataclass(frozen=True, slots=True)
class DirectiveTickReport:
    reminded: int = 0  # receipts reminded
    escalated: int = 0  # receipts escalated to their parent unit


def _laggards(directive: Directive, signing: bool) -> ReceiptFilter:
    if signing:
        return ReceiptFilter(directive.issuer_path, unsigned=True)
    return ReceiptFilter(directive.issuer_path, states=_NOT_DONE)


def _parent(path: str) -> str:
    codes = path_codes(path)
    return "/" + "/".join(codes[:-1]) + "/"


def _step(uow: UnitOfWork, directive: Directive, step: str, now: datetime) -> tuple[int, int]:
    signing = step.startswith("sign")
    deadline = (
        directive.content.sign_deadline_at if signing else directive.content.complete_deadline_at
    )
    if deadline is None:
        return 0, 0
    escalating = step.endswith("escalated_at")
    due = deadline if escalating else reminder_at(directive.issued_at, deadline)
    if now < due or not uow.directives.claim_step(directive.id, step, now):
        return 0, 0
    only = _laggards(directive, signing)
    what = "sign" if signing else "complete"
    title = directive.content.title_zh
    urgent = directive.content.priority is Priority.URGENT
    if not escalating:
        count = uow.directives.notify_receipts(
            directive.id,
            kind="directive_reminder",
            urgent=urgent,
            message=f"【提醒】{what} directive {directive.id} ({title}) by {deadline.isoformat()}",
            now=now,
            only=only,
            material_version=directive.material_version,
        )
        reminded, escalated = count, 0
    else:
        paths = uow.directives.receipt_paths(directive.id, only, directive.material_version)
        for parent, n in sorted(Counter(_parent(p) for p in paths).items()):
            uow.notifications.add(
                [parent],
                case_id=None,
                kind="directive_escalated",
                urgent=urgent,
                message=f"【督办】{n} unit(s) below you did not {what} directive "
                f"{directive.id} ({title}) by {deadline.isoformat()}",
                now=now,
            )
        reminded, escalated = 0, len(paths)
    uow.ledger.append(
        LedgerEntry(
            stream=directive_stream(directive.id),
            seq=0,
            type="escalated" if escalating else "reminded",
            at=now,
            actor="system",
            area_path=directive.issuer_path,
            data={"step": step, "receipts": reminded or escalated},
        )
    )
    return reminded, escalated


STEPS = ("sign_reminded_at", "sign_escalated_at", "complete_reminded_at", "complete_escalated_at")


def tick_directives(uow: UnitOfWork, *, now: datetime) -> DirectiveTickReport:
    reminded = escalated = 0
    with uow:
        due = uow.directives.due_for_tick(now)
    for directive in due:
        with uow:
            for step in STEPS:
                r, e = _step(uow, directive, step, now)
                reminded, escalated = reminded + r, escalated + e
            uow.commit()
    return DirectiveTickReport(reminded, escalated)
