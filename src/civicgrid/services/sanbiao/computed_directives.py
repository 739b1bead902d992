"""按时签收率 and 反馈率: on-time rates recomputed from the stored receipts' timestamps.

A receipt is due in a period when its directive's deadline falls in it, and only once
the deadline has passed the cut-off `context.now` (until then nobody is late yet). A
directive revoked by its deadline owed nothing and is left out. A receipt is on time
when its own timestamp (signed_at, done_at) is at or before that deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from civicgrid.domain.areas import Area
from civicgrid.domain.sanbiao.aggregate import common_root
from civicgrid.domain.sanbiao.catalogue import IndicatorDef
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.services.directive_ports import DeadlineReceipt
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork

DEADLINES: dict[str, Literal["sign", "complete"]] = {
    "directives.on_time_signoff_rate": "sign",
    "directives.feedback_rate": "complete",
}


def owed(receipt: DeadlineReceipt, as_of: datetime) -> bool:
    """Whether the receipt's deadline had fallen due, and still bound it, at `as_of`."""
    if receipt.deadline > as_of or receipt.issued_at > as_of:
        return False
    revoked = receipt.revoked_at
    return revoked is None or revoked > receipt.deadline or revoked > as_of


def on_time(receipt: DeadlineReceipt) -> bool:
    return receipt.answered_at is not None and receipt.answered_at <= receipt.deadline


def on_time_rate(receipts: Sequence[DeadlineReceipt], as_of: datetime) -> float | None:
    """Percent of the receipts owed by `as_of` that answered by their deadline; None
    when none was owed (absent, never zero)."""
    due = [r for r in receipts if owed(r, as_of)]
    if not due:
        return None
    return 100 * sum(1 for r in due if on_time(r)) / len(due)


def compute_directives(
    uow: SanbiaoUnitOfWork,
    areas: Sequence[Area],
    indicator: IndicatorDef,
    period: PeriodKey,
    context: Context,
) -> dict[str, float]:
    deadline = DEADLINES.get(indicator.code)
    if deadline is None:
        return {}
    root = common_root(a.path for a in areas)
    span = context.span(period)
    receipts = context.remember(
        ("directive receipts", deadline, root, period.key),
        lambda: uow.directives.deadline_receipts(root, deadline, span.start, span.end),
    )
    values = {}
    for area in areas:
        rate = on_time_rate([r for r in receipts if r.area_path.startswith(area.path)], context.now)
        if rate is not None:
            values[area.code] = rate
    return values
