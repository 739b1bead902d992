"""What the rule engine reports: an alert fired, escalated, cleared, or began or ended flapping."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum
from typing import NamedTuple

from civicgrid.domain.alerts.severity import Severity

GATEWAY_RULE = "gateway_offline"  # the built-in rule behind a gateway's offline alert


class EventKind(IntEnum):
    FIRE = 1
    ESCALATE = 2
    CLEAR = 3
    FLAPPING_START = 4  # one notice; fire/clear changes are then held back
    FLAPPING_END = 5  # `active` and `severity` say where the alert settled

    @property
    def label(self) -> str:
        return self.name.lower()


class AlertEvent(NamedTuple):
    """A named tuple: batches can carry thousands, and tuples are cheap to build."""

    kind: EventKind
    sensor_id: str  # the gateway id for GATEWAY_RULE
    rule_id: str
    severity: Severity | None  # the alert's severity after the event; None once cleared
    at_s: float  # seconds since the epoch (UTC)
    value: float  # the measure that decided: the reading, the rate, or seconds of silence
    hits: int  # readings that met the condition while the alert was active
    active: bool
    silenced: bool = False

    @property
    def at(self) -> datetime:
        return datetime.fromtimestamp(self.at_s, UTC)
