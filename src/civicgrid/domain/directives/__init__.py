"""指令直达: directives that reach every targeted unit at once, and their receipts."""

from civicgrid.domain.directives.model import (
    Content,
    Directive,
    Priority,
    Receipt,
    ReceiptState,
    Selection,
    Status,
)
from civicgrid.domain.directives.rollup import Counts, RollupRow

__all__ = [
    "Content",
    "Counts",
    "Directive",
    "Priority",
    "Receipt",
    "ReceiptState",
    "RollupRow",
    "Selection",
    "Status",
]
