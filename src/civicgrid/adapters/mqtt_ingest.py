"""MQTT ingestion: readings off the broker into the alert pipeline, with no loss.

Topic scheme (documented in docs/deployment.md):
    civicgrid/v1/<device>/readings
where <device> is a sensor id or a gateway id; the payload is one reading
{"sensor", "ts", "value"} or a JSON array of them. A device may send only its own
sensors' readings (a gateway: those behind it); the broker's ACLs authenticate devices.

QoS 1, MQTT 5, a persistent session and manual acknowledgement: a message is
acknowledged only after its readings are committed, so a crash loses nothing (the
broker redelivers, and (sensor, timestamp) keys make the resend harmless). The broker
keeps at most `receive_maximum` unacknowledged messages in flight to us; the local
queue is bounded by the same number, and when it is full the network thread waits:
that is the backpressure.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
import numpy as np
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from civicgrid.adapters.reading_codec import WireReading
from civicgrid.services.ingest import IncomingReadings, IngestResult

TOPIC = "civicgrid/v1/+/readings"
log = logging.getLogger(__name__)
_one_or_many = msgspec.json.Decoder(WireReading | list[WireReading])


@dataclass
class MqttStats:
    messages: int = 0
    readings: int = 0
    malformed: int = 0
    batches: int = 0


class MqttIngester:
    def __init__(
        self,
        ingest: Callable[[IncomingReadings, datetime], IngestResult],
        clock: Callable[[], datetime],
        *,
        host: str = "127.0.0.1",
        port: int = 1883,
        client_id: str = "civicgrid-ingest",
        topic: str = TOPIC,
        in_flight: int = 20_000,
        batch_max: int = 10_000,
        linger_s: float = 0.25,
    ) -> None:
        self._ingest = ingest
        self._clock = clock
        self._topic = topic
        self._queue: queue.Queue[mqtt.MQTTMessage] = queue.Queue(maxsize=in_flight)
        self._batch_max = batch_max
        self._linger_s = linger_s
        self._stop = threading.Event()
        self.stats = MqttStats()
        self.subscribed = threading.Event()
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=True
        )
        self._client.on_message = self._received
        self._client.on_connect = self._connected
        self._client.on_subscribe = lambda *_: self.subscribed.set()
        properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        properties.ReceiveMaximum = min(in_flight, 65_535)  # the broker's in-flight bound
        properties.SessionExpiryInterval = 24 * 3600  # unacknowledged messages survive us
        self._client.connect(host, port, clean_start=False, properties=properties)

    def _connected(self, client: mqtt.Client, *_: Any) -> None:
        client.subscribe(self._topic, qos=1)

    def _received(self, _client: mqtt.Client, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        self._queue.put(message)  # blocks when full: backpressure on the network thread

    def run(self) -> None:
        """Until stop(): batches of messages → the pipeline → acknowledgements."""
        self._client.loop_start()
        try:
            while not self._stop.is_set():
                batch = self._collect()
                if batch:
                    self._process(batch)
        finally:
            self._client.loop_stop()
            self._client.disconnect()

    def stop(self) -> None:
        self._stop.set()

    def _collect(self) -> list[mqtt.MQTTMessage]:
        try:
            batch = [self._queue.get(timeout=0.2)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + self._linger_s
        while len(batch) < self._batch_max:
            try:
                batch.append(self._queue.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                break
        return batch

    def _process(self, batch: list[mqtt.MQTTMessage]) -> None:
        readings: list[WireReading] = []
        senders: list[str] = []
        for message in batch:
            device = message.topic.split("/")[2] if message.topic.count("/") >= 3 else ""
            try:
                decoded = _one_or_many.decode(message.payload)
            except (msgspec.ValidationError, msgspec.DecodeError) as exc:
                self.stats.malformed += 1
                log.warning("malformed MQTT message on %s: %s", message.topic, exc)
                continue
            items = decoded if isinstance(decoded, list) else [decoded]
            readings.extend(items)
            senders.extend([device] * len(items))
        if readings:
            stamps = [r.ts if isinstance(r.ts, float | int) else r.ts.timestamp() for r in readings]
            incoming = IncomingReadings(
                sensor_ids=[r.sensor for r in readings],
                ts_ms=np.round(np.array(stamps, np.float64) * 1000).astype(np.int64),
                values=np.array([r.value for r in readings], np.float64),
                rows=np.arange(len(readings)),
                senders=senders,
            )
            result = self._ingest(incoming, self._clock())  # committed when it returns
            for row, reason in result.rejected[:20]:
                log.info("rejected reading from %s: %s", senders[row], reason)
        for message in batch:  # after the commit: now the broker may forget them
            self._client.ack(message.mid, message.qos)
        self.stats.messages += len(batch)
        self.stats.readings += len(readings)
        self.stats.batches += 1
