"""When the scheduler reminds and escalates: at 80 % of each deadline, and at it."""

from __future__ import annotations

from datetime import datetime

REMINDER_SHARE = 0.8


def reminder_at(issued_at: datetime, deadline_at: datetime) -> datetime:
    return issued_at + (deadline_at - issued_at) * REMINDER_SHARE
