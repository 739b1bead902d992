"""Ports of the IoT use cases: sensors, device tokens, readings, alerts, silences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from civicgrid.domain.alerts import Silence
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.sensors import Sensor
from civicgrid.services.ports import Page, UnitOfWork


@dataclass(frozen=True, slots=True)
class ReadingColumns:
    """A batch of readings as columns (times in ms since the epoch, UTC).

    `codes` and `names`, when given, say the same as `sensor_ids` dictionary-encoded
    (sensor_ids[i] == names[codes[i]]), which spares a store a pass over the strings."""

    sensor_ids: list[str]
    ts_ms: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]
    late: npt.NDArray[np.bool_]
    codes: npt.NDArray[np.int32] | None = None
    names: Sequence[str] | None = None


@dataclass(frozen=True, slots=True)
class StoredAlert:
    id: int
    sensor_id: str
    rule_id: str
    category: str
    area_code: str
    area_path: AreaPath
    severity: int
    active: bool
    flapping: bool
    silenced: bool
    fired_at: datetime
    cleared_at: datetime | None
    last_value: float | None
    hits: int
    fires: int
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    assignee: str | None
    case_id: int | None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AlertComment:
    author: str
    body: str
    at: datetime


class SensorRepository(Protocol):
    def get(self, sensor_id: str) -> Sensor | None: ...

    def get_many(self, sensor_ids: Sequence[str]) -> dict[str, Sensor]:
        """The existing ones among `sensor_ids`, by id."""
        ...

    def existing_ids(self, sensor_ids: Sequence[str]) -> set[str]: ...

    def add(self, sensors: Sequence[Sensor]) -> None: ...

    def retire(self, sensor_id: str, at: datetime) -> bool:
        """False when the sensor was already retired."""
        ...

    def all(self, *, include_retired: bool = False) -> list[Sensor]: ...

    def within(
        self, scopes: Sequence[AreaPath], *, sensor_type: str | None, offset: int, limit: int
    ) -> Page[Sensor]: ...

    def add_token(self, subject: str, kind: str, digest: str, now: datetime) -> None: ...

    def token_subject(self, digest: str) -> tuple[str, str] | None:
        """(subject, kind) of a live token."""
        ...


class ReadingStore(Protocol):
    def new_batch(self, partition: str, received_at: datetime, readings: int) -> int: ...

    def existing(self, sensor_ids: Sequence[str], ts_ms: Sequence[int]) -> set[tuple[str, int]]:
        """Which of these keys are stored already."""
        ...

    def insert(self, batch: int, readings: ReadingColumns) -> None: ...

    def since_batch(self, partition: str, batch: int) -> list[tuple[int, datetime, ReadingColumns]]:
        """Batches after `batch`, in order, with their readings (for replay)."""
        ...

    def prune(self, received_before: datetime) -> int:
        """Drop the readings of batches received before this time."""
        ...

    def count(self) -> int: ...

    def of_sensor(
        self, sensor_id: str, start_ms: int, end_ms: int, limit: int
    ) -> tuple[list[int], list[float]]:
        """(times in ms, values) of one sensor in [start_ms, end_ms), oldest first, at most
        `limit` of them."""
        ...

    def save_snapshot(
        self, partition: str, batch: int, state: dict[str, Any], now: datetime
    ) -> None: ...

    def load_snapshot(self, partition: str) -> tuple[int, dict[str, Any]] | None: ...


class AlertRepository(Protocol):
    def fired_between(self, root: AreaPath, start: datetime, end: datetime) -> list[StoredAlert]:
        """Alerts in the subtree at `root` that first fired in [start, end); read-only."""

    def active(self, sensor_id: str, rule_id: str) -> StoredAlert | None: ...

    def latest(self, sensor_id: str, rule_id: str) -> StoredAlert | None: ...

    def get(self, alert_id: int) -> StoredAlert | None: ...

    def of_sensor(self, sensor_id: str, start: datetime, end: datetime) -> list[StoredAlert]:
        """The sensor's alerts that were active at some moment in [start, end), by firing."""
        ...

    def add(self, alert: StoredAlert) -> int: ...

    def update(self, alert_id: int, **changes: Any) -> None: ...

    def needing_cases(self, limit: int) -> list[StoredAlert]:
        """Active, unsilenced alerts with a category and no case yet."""
        ...

    def within(
        self, scopes: Sequence[AreaPath], *, active: bool | None, offset: int, limit: int
    ) -> Page[StoredAlert]: ...

    def most_severe(self, scopes: Sequence[AreaPath], limit: int) -> Page[StoredAlert]:
        """Active alerts in the subtrees, the most severe first, then the newest."""
        ...

    def add_comment(self, alert_id: int, comment: AlertComment) -> None: ...

    def comments(self, alert_id: int) -> list[AlertComment]: ...

    def add_silence(self, silence: Silence, created_by: str, now: datetime) -> int: ...

    def silences(self, now: datetime) -> list[Silence]:
        """Silences not yet over."""
        ...

    def end_silence(self, silence_id: int, now: datetime) -> bool: ...


class IotUnitOfWork(UnitOfWork, Protocol):
    sensors: SensorRepository
    readings: ReadingStore
    alerts: AlertRepository
