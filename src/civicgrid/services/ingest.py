"""The ingestion pipeline: check a batch, evaluate it, store readings and alerts together.

Policy for time:
- a reading is keyed by (sensor, timestamp): a resend is reported as a duplicate;
- a batch is evaluated in time order; a reading not newer than its sensor's last
  evaluated one, or older than now − max_lateness, is late: stored, never evaluated, so
  it can neither fire nor re-fire an alert;
- a reading more than `future_skew` ahead of the server clock is rejected.
The engine's state is snapshotted to the database every `snapshot_every`; on start the
batches stored since the snapshot are replayed, so a restart loses no pending "for"
and re-fires nothing (a replayed fire meets its stored active alert and is dropped).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from civicgrid.domain.alerts import AlertEngine, AlertEvent, RuleSet, Silence
from civicgrid.domain.alerts.engine import LATE
from civicgrid.domain.sensors import Sensor
from civicgrid.services.alert_cases import case_is_open, follow_up_cases, open_alert_cases
from civicgrid.services.alerts import CaseFollowUps, record_alert_events
from civicgrid.services.area_chains import AreaChainProvider
from civicgrid.services.case_ports import CaseRules
from civicgrid.services.feed import FeedPublisher
from civicgrid.services.ports import LocatorProvider
from civicgrid.services.sensor_ports import IotUnitOfWork, ReadingColumns


@dataclass(frozen=True, slots=True)
class IncomingReadings:
    sensor_ids: list[str]
    ts_ms: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]
    rows: npt.NDArray[np.int64]  # each reading's row number in the request
    rejected: list[tuple[int, str]] = field(default_factory=list)  # rows that did not decode
    senders: list[str] | None = None  # per reading, the device that sent it (MQTT topics)


@dataclass(frozen=True, slots=True)
class Device:
    subject: str  # a sensor id or a gateway id
    kind: str  # sensor | gateway


@dataclass(frozen=True, slots=True)
class IngestResult:
    accepted: int
    late: int  # accepted and stored, but not evaluated
    duplicates: list[int]  # row numbers
    rejected: list[tuple[int, str]]  # (row number, reason)
    events: list[AlertEvent]


@dataclass(frozen=True, slots=True)
class CaseContext:
    """What opening cases needs; without it alerts are stored but open no case."""

    locators: LocatorProvider
    case_rules: CaseRules
    feed: FeedPublisher | None = None
    chains: AreaChainProvider | None = None  # one per process: areas' chains, cached


@dataclass
class PipelineSettings:
    partition: str = "default"
    max_lateness: timedelta = timedelta(hours=1)
    future_skew: timedelta = timedelta(minutes=5)
    reuse_window: timedelta = timedelta(hours=2)
    snapshot_every: timedelta = timedelta(seconds=30)
    owns: Callable[[str], bool] | None = None  # a partition's share of the sensors


class AlertPipeline:
    def __init__(
        self,
        uow: Callable[[], IotUnitOfWork],
        rules: RuleSet,
        settings: PipelineSettings | None = None,
        cases: CaseContext | None = None,
    ) -> None:
        self._uow = uow
        self.rules = rules
        self.settings = settings or PipelineSettings()
        self.cases = cases
        self._lock = threading.Lock()
        self.engine: AlertEngine | None = None
        self._retired: set[str] = set()
        self._last_batch = 0
        self._snapshot_at = datetime.min.replace(tzinfo=UTC)

    # -- lifecycle -------------------------------------------------------------
    def start(self, now: datetime) -> int:
        """Build the engine from the snapshot and replay what came after; return the
        number of batches replayed."""
        with self._lock:
            return self._start(now)

    def _start(self, now: datetime) -> int:
        with self._uow() as uow:
            sensors = self._mine(uow.sensors.all(include_retired=True))
            saved = uow.readings.load_snapshot(self.settings.partition)
            silences = uow.alerts.silences(now)
        self._retired = {s.id for s in sensors if not s.active}
        engine = AlertEngine(
            self.rules,
            [s for s in sensors if s.active],
            max_lateness_s=self.settings.max_lateness.total_seconds(),
        )
        engine.silences = silences
        self._last_batch = 0
        if saved is not None:
            self._last_batch, state = saved
            engine.restore(state)
        with self._uow() as uow:
            replay = uow.readings.since_batch(self.settings.partition, self._last_batch)
        for batch, received_at, columns in replay:
            keep = ~columns.late
            idx = engine.index_of([s for s, k in zip(columns.sensor_ids, keep, strict=True) if k])
            known = idx >= 0
            engine.evaluate(
                idx[known],
                columns.ts_ms[keep][known] / 1000.0,
                columns.values[keep][known],
                now_s=received_at.timestamp(),
            )
            self._last_batch = batch
        self.engine = engine
        self._snapshot_at = datetime.min.replace(tzinfo=UTC)
        return len(replay)

    def ensure_started(self, now: datetime) -> AlertPipeline:
        """Start on first use (an API process starts it with its first batch)."""
        with self._lock:
            if self.engine is None:
                self._start(now)
        return self

    def refresh_silences(self, now: datetime) -> None:
        with self._lock:
            if self.engine is not None:
                with self._uow() as uow:
                    self.engine.silences = uow.alerts.silences(now)

    def _mine(self, sensors: Sequence[Sensor]) -> list[Sensor]:
        owns = self.settings.owns
        return [s for s in sensors if owns is None or owns(s.id)]

    def reload_rules(self, rules: RuleSet) -> None:
        """Rules changed at run time: state carries over by (sensor, rule)."""
        with self._lock:
            self.rules = rules
            if self.engine is not None:
                self.engine.reload(rules)

    def refresh(self, now: datetime) -> None:
        """Sensors registered or retired, or silences changed, since the engine was built."""
        with self._lock:
            self._refresh(now)

    def _refresh(self, now: datetime) -> None:
        engine = self._engine()
        with self._uow() as uow:
            sensors = self._mine(uow.sensors.all(include_retired=True))
            engine.silences = uow.alerts.silences(now)
        self._retired = {s.id for s in sensors if not s.active}
        engine.reload(self.rules, [s for s in sensors if s.active])

    def _engine(self) -> AlertEngine:
        if self.engine is None:
            raise RuntimeError("start the pipeline first")
        return self.engine

    # -- readings --------------------------------------------------------------
    def ingest(
        self, incoming: IncomingReadings, device: Device | None, now: datetime
    ) -> IngestResult:
        with self._lock:
            result, follow = self._ingest(incoming, device, now)
        self._after_commit(result.events, follow, now)
        return result

    def _ingest(
        self, incoming: IncomingReadings, device: Device | None, now: datetime
    ) -> tuple[IngestResult, CaseFollowUps]:
        engine = self._engine()
        idx = engine.index_of(incoming.sensor_ids)
        if (idx < 0).any() and self._has_new_sensors(incoming.sensor_ids, idx):
            self._refresh(now)
            idx = engine.index_of(incoming.sensor_ids)
        ts_s = incoming.ts_ms / 1000.0
        reasons = self._check(engine, incoming, idx, ts_s, device, now)
        ok = np.array([r is None for r in reasons], np.bool_)
        duplicate = self._duplicates(engine, incoming, idx, ts_s, ok, now)
        ok &= ~duplicate
        keep = np.flatnonzero(ok)
        evaluation = engine.evaluate(
            idx[keep], ts_s[keep], incoming.values[keep], now_s=now.timestamp()
        )
        late = evaluation.status == LATE
        columns = ReadingColumns(
            sensor_ids=[incoming.sensor_ids[i] for i in keep.tolist()],
            ts_ms=incoming.ts_ms[keep],
            values=incoming.values[keep],
            late=late,
        )
        try:
            follow = self._store(columns, evaluation.events, now)
        except Exception:
            self._start(now)  # the engine ran ahead of the database: rebuild it
            raise
        rows = incoming.rows
        rejected = incoming.rejected + [
            (int(rows[i]), reason) for i, reason in enumerate(reasons) if reason is not None
        ]
        result = IngestResult(
            accepted=int(keep.size),
            late=int(late.sum()),
            duplicates=[int(r) for r in rows[duplicate]],
            rejected=sorted(rejected),
            events=evaluation.events,
        )
        return result, follow

    def _has_new_sensors(self, sensor_ids: list[str], idx: npt.NDArray[np.int32]) -> bool:
        unknown = {sensor_ids[i] for i in np.flatnonzero(idx < 0).tolist()} - self._retired
        if not unknown:
            return False
        with self._uow() as uow:
            found = uow.sensors.existing_ids(sorted(unknown))
        owns = self.settings.owns
        return any(owns is None or owns(s) for s in found)

    def _check(
        self,
        engine: AlertEngine,
        incoming: IncomingReadings,
        idx: npt.NDArray[np.int32],
        ts_s: npt.NDArray[np.float64],
        device: Device | None,
        now: datetime,
    ) -> list[str | None]:
        """A reason for each row that cannot be accepted; None for the others."""
        sensors = engine.arrays.sensors
        horizon = (now + self.settings.future_skew).timestamp()
        low, high = _ranges(sensors)
        safe = np.maximum(idx, 0)
        value = incoming.values
        bad_value = ~np.isfinite(value)
        out_of_range = ~bad_value & ((value < low[safe]) | (value > high[safe]))
        future = ts_s > horizon
        reasons: list[str | None] = [None] * len(idx)
        flagged = np.flatnonzero((idx < 0) | bad_value | out_of_range | future | (ts_s <= 0))
        for i in flagged.tolist():
            reasons[i] = self._reason(incoming, i, int(idx[i]), ts_s[i], horizon, sensors)
        if incoming.senders is not None:
            for i, sender in enumerate(incoming.senders):
                sensor = sensors[int(idx[i])] if reasons[i] is None else None
                if sensor is not None and sender not in (sensor.id, sensor.gateway):
                    reasons[i] = f"device {sender} may not send readings of {sensor.id}"
        if device is not None:
            for i in range(len(idx)):
                if reasons[i] is None and not _may_send(device, sensors[int(idx[i])]):
                    sensor_id = incoming.sensor_ids[i]
                    reasons[i] = f"this {device.kind} token may not send readings of {sensor_id}"
        return reasons

    def _reason(
        self,
        incoming: IncomingReadings,
        i: int,
        s: int,
        ts_s: float,
        horizon: float,
        sensors: list[Sensor],
    ) -> str:
        sensor_id = incoming.sensor_ids[i]
        if s < 0:
            if sensor_id in self._retired:
                return f"sensor {sensor_id} is retired"
            return f"unknown sensor {sensor_id}"
        value = float(incoming.values[i])
        if not math.isfinite(value):
            return "value is not a finite number"
        if ts_s <= 0 or ts_s > horizon:
            return (
                f"timestamp {ts_s:.3f} lies before 1970 or more than "
                f"{self.settings.future_skew} ahead of the server clock"
            )
        facts = sensors[s].type.facts
        return (
            f"value {value:g} {facts.unit} is outside the physical range "
            f"{facts.low:g}..{facts.high:g} of a {sensors[s].type.value} sensor"
        )

    def _duplicates(
        self,
        engine: AlertEngine,
        incoming: IncomingReadings,
        idx: npt.NDArray[np.int32],
        ts_s: npt.NDArray[np.float64],
        ok: npt.NDArray[np.bool_],
        now: datetime,
    ) -> npt.NDArray[np.bool_]:
        """Repeats within the batch, and resends of stored readings. Only readings not
        newer than the sensor's last evaluated one (or older than the lateness bound)
        can be stored already, so only those are looked up."""
        duplicate = np.zeros(len(idx), np.bool_)
        candidates = np.flatnonzero(ok)
        if candidates.size == 0:
            return duplicate
        key = idx[candidates].astype(np.int64) << 42 | incoming.ts_ms[candidates]
        _, first = np.unique(key, return_index=True)
        repeat = np.ones(candidates.size, np.bool_)
        repeat[first] = False
        duplicate[candidates[repeat]] = True
        watermark = np.asarray(engine.arrays.ss[0], np.float64)[idx[candidates]]
        oldest = now.timestamp() - self.settings.max_lateness.total_seconds()
        suspect = candidates[
            ~repeat & ((ts_s[candidates] <= watermark) | (ts_s[candidates] < oldest))
        ]
        if suspect.size:
            ids = [incoming.sensor_ids[i] for i in suspect.tolist()]
            stamps = incoming.ts_ms[suspect].tolist()
            with self._uow() as uow:
                stored = uow.readings.existing(ids, stamps)
            for i, sensor_id, stamp in zip(suspect.tolist(), ids, stamps, strict=True):
                if (sensor_id, stamp) in stored:
                    duplicate[i] = True
        return duplicate

    def _store(
        self, columns: ReadingColumns, events: list[AlertEvent], now: datetime
    ) -> CaseFollowUps:
        engine = self._engine()
        with self._uow() as uow:
            batch = uow.readings.new_batch(self.settings.partition, now, len(columns.sensor_ids))
            uow.readings.insert(batch, columns)
            follow = self._record(uow, events)
            if now - self._snapshot_at >= self.settings.snapshot_every:
                uow.readings.save_snapshot(self.settings.partition, batch, engine.snapshot(), now)
                self._snapshot_at = now
            uow.commit()
        self._last_batch = batch
        return follow

    def _record(self, uow: IotUnitOfWork, events: list[AlertEvent]) -> CaseFollowUps:
        if not events:
            return CaseFollowUps()
        engine = self._engine()
        index = engine.arrays.sensor_index
        sensors = engine.arrays.sensors

        def sensor_of(sensor_id: str) -> Sensor | None:
            i = index.get(sensor_id)
            return sensors[i] if i is not None else None

        def gateway_sensor(gateway: str) -> Sensor | None:
            return next((s for s in sensors if s.gateway == gateway), None)

        return record_alert_events(
            uow,
            events,
            self.rules,
            sensor_of,
            gateway_sensor,
            reuse_window=self.settings.reuse_window,
            case_is_open=lambda case_id: case_is_open(uow, case_id),
        )

    def _after_commit(self, events: list[AlertEvent], follow: CaseFollowUps, now: datetime) -> None:
        if self.cases is None or not (events or follow):
            return
        c = self.cases
        follow_up_cases(self._uow(), c.case_rules, self.rules, follow, now=now, feed=c.feed)
        open_alert_cases(
            self._uow(),
            c.locators,
            c.case_rules,
            self.rules,
            now=now,
            feed=c.feed,
            chains=c.chains,
            owns=self.settings.owns,
        )

    # -- time ------------------------------------------------------------------
    def tick(self, now: datetime) -> list[AlertEvent]:
        """Timers (no data, gateways offline, flapping settled); then cases owed."""
        with self._lock:
            engine = self._engine()
            with self._uow() as uow:
                engine.silences = uow.alerts.silences(now)
            events = engine.tick(now.timestamp())
            follow = CaseFollowUps()
            if events:
                with self._uow() as uow:
                    follow = self._record(uow, events)
                    uow.readings.save_snapshot(
                        self.settings.partition, self._last_batch, engine.snapshot(), now
                    )
                    uow.commit()
                self._snapshot_at = now
        if self.cases is not None:
            c = self.cases
            follow_up_cases(self._uow(), c.case_rules, self.rules, follow, now=now, feed=c.feed)
            open_alert_cases(
                self._uow(),
                c.locators,
                c.case_rules,
                self.rules,
                now=now,
                feed=c.feed,
                chains=c.chains,
                owns=self.settings.owns,
            )
        return events

    def snapshot_now(self, now: datetime) -> None:
        """On a clean shutdown: nothing to replay at the next start."""
        with self._lock:
            engine = self._engine()
            with self._uow() as uow:
                uow.readings.save_snapshot(
                    self.settings.partition, self._last_batch, engine.snapshot(), now
                )
                uow.commit()
            self._snapshot_at = now


def _may_send(device: Device, sensor: Sensor) -> bool:
    if device.kind == "gateway":
        return sensor.gateway == device.subject
    return sensor.id == device.subject


_RANGE_CACHE: dict[int, tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]] = {}


def _ranges(sensors: list[Sensor]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    key = id(sensors)
    cached = _RANGE_CACHE.get(key)
    if cached is None or len(cached[0]) != len(sensors):
        low = np.array([s.type.facts.low for s in sensors] or [0.0])
        high = np.array([s.type.facts.high for s in sensors] or [0.0])
        _RANGE_CACHE.clear()
        cached = _RANGE_CACHE[key] = (low, high)
    return cached


__all__ = [
    "AlertPipeline",
    "CaseContext",
    "Device",
    "IncomingReadings",
    "IngestResult",
    "PipelineSettings",
    "Silence",
]
