"""The small value types a case's state is made of."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from civicgrid.domain.cases.stages import Stage
from civicgrid.domain.errors import Conflict


class Status(StrEnum):
    OPEN = "open"
    ON_HOLD = "on_hold"  # 挂账: approved; its time is left out of every limit
    CLOSED = "closed"  # with an outcome other than VOID
    VOID = "void"  # 作废

    @property
    def finished(self) -> bool:
        return self in {Status.CLOSED, Status.VOID}


class InvalidHistory(Conflict):
    """A log of events that cannot be the history of one case."""

    code = "invalid_history"


HoldInterval = tuple[datetime, datetime | None]
"""(start, end); the end is None while the hold lasts."""


@dataclass(frozen=True, slots=True)
class ExtensionRequest:
    """A handler's request for more working time at `stage`, awaiting the shift leader."""

    stage: Stage
    working_seconds: int
    requested_by: str
    reason: str
