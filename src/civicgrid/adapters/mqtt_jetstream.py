"""MQTT → JetStream: the bridge for a city that one ingesting process cannot carry.

`civicgrid ingest mqtt --to-jetstream` reads MQTT as usual (`MqttIngester`), but instead
of evaluating a batch it checks each reading against its topic's device (a sensor may
send its own readings, a gateway those of the sensors behind it), groups the readings
by partition (crc32 of the sensor id) and publishes them to JetStream. The ingester
acknowledges the MQTT messages only after `forward` returns, and `forward` returns only
after JetStream has acknowledged every publish: a crash in between makes the broker
redeliver, and the workers' (sensor, timestamp) keys make the resend harmless.
`civicgrid worker` processes evaluate the partitions.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from datetime import datetime
from typing import Any, TypeVar

import nats
from nats.aio.client import Client as Nats
from nats.js import JetStreamContext

from civicgrid.adapters.jetstream_readings import ensure_stream, publish_readings_at_once
from civicgrid.adapters.reading_codec import WireReading
from civicgrid.services.ingest import IncomingReadings, IngestResult
from civicgrid.services.sensor_senders import may_send

T = TypeVar("T")
GatewayLookup = Callable[[Sequence[str]], dict[str, str | None]]
RELOOK_S = 30.0  # how often unknown sensors are looked up again


class JetStreamForwarder:
    def __init__(
        self,
        url: str,
        *,
        prefix: str,
        stream: str,
        partitions: int,
        gateways: GatewayLookup,
        timeout_s: float = 30.0,
    ) -> None:
        self._prefix, self._partitions, self._timeout = prefix, partitions, timeout_s
        self._lookup = gateways
        self._gateways: dict[str, str | None] = {}
        self._unknown_since: dict[str, float] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._nats: Nats = self._run(nats.connect(url))
        self._js: JetStreamContext = self._nats.jetstream()
        self._run(ensure_stream(self._js, stream, prefix))
        self.published = 0

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(self._timeout)

    def forward(self, incoming: IncomingReadings, now: datetime) -> IngestResult:
        """Publish the readings their devices may send; return once JetStream has them."""
        del now  # the workers judge lateness by their own clock
        self._learn(incoming.sensor_ids)
        senders = incoming.senders
        rejected = list(incoming.rejected)
        ts_s = (incoming.ts_ms / 1000.0).tolist()
        values = incoming.values.tolist()
        readings: list[WireReading] = []
        for i, sensor in enumerate(incoming.sensor_ids):
            reason = self._reason(sensor, senders[i] if senders is not None else None)
            if reason is None:
                readings.append(WireReading(sensor, ts_s[i], values[i]))
            else:
                rejected.append((int(incoming.rows[i]), reason))
        if readings:
            self._run(publish_readings_at_once(self._js, self._prefix, readings, self._partitions))
        self.published += len(readings)
        return IngestResult(
            accepted=len(readings), late=0, duplicates=[], rejected=sorted(rejected), events=[]
        )

    def _reason(self, sensor: str, sender: str | None) -> str | None:
        if sensor not in self._gateways:
            return f"unknown or retired sensor {sensor}"
        if sender is not None and not may_send(sender, sensor, self._gateways[sensor]):
            return f"device {sender} may not send readings of {sensor}"
        return None

    def _learn(self, sensor_ids: list[str]) -> None:
        """Look up sensors not seen before (or unknown for a while: newly registered)."""
        now = time.monotonic()
        missing = {
            s
            for s in set(sensor_ids).difference(self._gateways)
            if now - self._unknown_since.get(s, -RELOOK_S) >= RELOOK_S
        }
        if not missing:
            return
        if len(self._unknown_since) > 100_000:  # junk ids must not grow it for ever
            self._unknown_since.clear()
        found = self._lookup(sorted(missing))
        self._gateways.update(found)
        for sensor in missing.difference(found):
            self._unknown_since[sensor] = now

    def close(self) -> None:
        self._run(self._nats.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()
