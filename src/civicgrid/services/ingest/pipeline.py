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
Cases come after the commit (case_step.py), in the call or, for HTTP, after the answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from civicgrid.domain.alerts import AlertEngine, AlertEvent, RuleSet
from civicgrid.domain.alerts.engine import LATE
from civicgrid.domain.sensors import Sensor
from civicgrid.services.alert_cases import case_is_open
from civicgrid.services.alerts import CaseFollowUps, record_alert_events
from civicgrid.services.ingest.batch import (
    CaseContext,
    Device,
    IncomingReadings,
    IngestResult,
    PipelineSettings,
)
from civicgrid.services.ingest.case_step import CaseStep
from civicgrid.services.ingest.checks import check_rows
from civicgrid.services.ingest.replay import replay_batches
from civicgrid.services.ingest.resends import find_resends
from civicgrid.services.sensor_ports import IotUnitOfWork, ReadingColumns


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
        self.case_step = CaseStep(uow, cases, self.settings.owns)

    # -- lifecycle -------------------------------------------------------------
    def start(self, now: datetime) -> int:
        """Build the engine from the snapshot and replay what came after; return the
        number of batches replayed; then open the cases a crash left owed."""
        with self._lock:
            replayed = self._start(now)
        self.case_step.settle(self.rules, now)
        return replayed

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
        self._last_batch = replay_batches(engine, replay, self._last_batch)
        self.engine = engine
        self._snapshot_at = datetime.min.replace(tzinfo=UTC)
        return len(replay)

    def ensure_started(self, now: datetime) -> AlertPipeline:
        """Start on first use (an API process starts it with its first batch); cases a
        crash left owed open at the next `settle_cases`."""
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
        self,
        incoming: IncomingReadings,
        device: Device | None,
        now: datetime,
        *,
        defer_cases: bool = False,
    ) -> IngestResult:
        """Check, evaluate and store a batch. The case step runs before returning, or
        with `defer_cases` is left to `settle_cases` (e.g. after the HTTP response)."""
        with self._lock:
            result, follow = self._ingest(incoming, device, now)
            self.case_step.owe(follow, new_alerts=bool(result.events), now=now)
        if not defer_cases:
            self.settle_cases(now)
        return result

    def settle_cases(self, now: datetime) -> list[int]:
        """Run the case step owed by committed batches; the ids of the cases opened."""
        return self.case_step.settle(self.rules, now)

    def _ingest(
        self, incoming: IncomingReadings, device: Device | None, now: datetime
    ) -> tuple[IngestResult, CaseFollowUps]:
        engine = self._engine()
        idx = engine.index_of(incoming.sensor_ids)
        if (idx < 0).any() and self._has_new_sensors(incoming.sensor_ids, idx):
            self._refresh(now)
            idx = engine.index_of(incoming.sensor_ids)
        horizon = (now + self.settings.future_skew).timestamp()
        ok, rejected = check_rows(
            engine.arrays.sensors,
            self._retired,
            incoming,
            idx,
            device,
            horizon,
            self.settings.future_skew,
        )
        duplicate = find_resends(
            incoming,
            idx,
            ok,
            np.asarray(engine.arrays.ss[0], np.float64),
            now.timestamp() - self.settings.max_lateness.total_seconds(),
            self._existing,
        )
        ok &= ~duplicate
        keep = np.flatnonzero(ok)
        evaluation = engine.evaluate(
            idx[keep], incoming.ts_ms[keep] / 1000.0, incoming.values[keep], now_s=now.timestamp()
        )
        late = evaluation.status == LATE
        ids = incoming.sensor_ids
        columns = ReadingColumns(
            sensor_ids=ids if keep.size == len(ids) else [ids[i] for i in keep.tolist()],
            ts_ms=incoming.ts_ms[keep],
            values=incoming.values[keep],
            late=late,
            codes=idx[keep],
            names=[s.id for s in engine.arrays.sensors],
        )
        # The previous batch's case step goes first: its new alerts must have their
        # cases before this batch's clears and refires are recorded against them.
        self.case_step.settle(self.rules, now)
        try:
            follow = self._store(columns, evaluation.events, now)
        except Exception:
            self._start(now)  # the engine ran ahead of the database: rebuild it
            raise
        result = IngestResult(
            accepted=int(keep.size),
            late=int(late.sum()),
            duplicates=[int(r) for r in incoming.rows[duplicate]],
            rejected=sorted(incoming.rejected + rejected),
            events=evaluation.events,
        )
        return result, follow

    def _existing(self, sensor_ids: Sequence[str], ts_ms: Sequence[int]) -> set[tuple[str, int]]:
        with self._uow() as uow:
            return uow.readings.existing(sensor_ids, ts_ms)

    def _has_new_sensors(self, sensor_ids: list[str], idx: npt.NDArray[np.int32]) -> bool:
        unknown = {sensor_ids[i] for i in np.flatnonzero(idx < 0).tolist()} - self._retired
        if not unknown:
            return False
        with self._uow() as uow:
            found = uow.sensors.existing_ids(sorted(unknown))
        owns = self.settings.owns
        return any(owns is None or owns(s) for s in found)

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
            self.case_step.owe(follow, new_alerts=True, now=now)
        self.case_step.settle(self.rules, now)
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
