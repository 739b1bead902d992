"""MQTT ingestion: readings off the broker into the alert pipeline, with no loss.

Topic scheme (documented in docs/deployment.md):
    civicgrid/v1/<device>/readings
where <device> is a sensor id or a gateway id; the payload is one reading
{"sensor", "ts", "value"} or a JSON array of them. A device may send only its own
sensors' readings (a gateway: those behind it); the broker's ACLs authenticate devices.

QoS 1, MQTT 5, a persistent session and manual acknowledgement: a message is
acknowledged only after its readings are committed, so a crash loses nothing (the
broker redelivers, and (sensor, timestamp) keys make the resend harmless). The broker
keeps at most `in_flight` unacknowledged messages in flight to us (MQTT 5 Receive
Maximum), and one thread reads, commits and acknowledges in turn: while a batch is
being committed nothing is read, so the socket fills and the broker holds the rest;
that is the backpressure. Batches grow with the load: a batch is handed on as soon as
the socket has nothing more to give (or `batch_max` messages or `linger_s` seconds).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
import numpy as np
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from civicgrid.adapters.mqtt_wire import BatchingClient, Delivery
from civicgrid.adapters.reading_codec import WireReading
from civicgrid.services.ingest import IncomingReadings, IngestResult

TOPIC = "civicgrid/v1/+/readings"
log = logging.getLogger(__name__)
_one_or_many = msgspec.json.Decoder(WireReading | list[WireReading])
_many = msgspec.json.Decoder(list[WireReading | list[WireReading]])


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
        self._batch: list[Delivery] = []
        self._batch_max = min(batch_max, in_flight)
        self._linger_s = linger_s
        self._stop = threading.Event()
        self._devices: dict[bytes, str] = {}
        self.stats = MqttStats()
        self.subscribed = threading.Event()
        self._client = BatchingClient(
            self._batch.append,
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=mqtt.MQTTv5,
        )
        self._client.on_message = self._other_message
        self._client.on_connect = self._connected
        self._client.on_subscribe = lambda *_: self.subscribed.set()
        properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        properties.ReceiveMaximum = min(in_flight, 65_535)  # the broker's in-flight bound
        properties.SessionExpiryInterval = 24 * 3600  # unacknowledged messages survive us
        self._client.connect(host, port, clean_start=False, properties=properties)

    def _connected(self, client: mqtt.Client, *_: Any) -> None:
        client.subscribe(self._topic, qos=1)

    def _other_message(self, _c: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
        """A message off the fast path (QoS 0, or one with properties)."""
        mid = message.mid if message.qos == 1 else 0
        self._batch.append((message.topic.encode(), mid, message.payload))

    def run(self) -> None:
        """Until stop(): read a batch of messages → the pipeline → acknowledgements."""
        client = self._client
        try:
            while not self._stop.is_set():
                first = time.monotonic()
                while len(self._batch) < self._batch_max and not self._stop.is_set():
                    had = len(self._batch)
                    rc = client.loop(timeout=0.0 if had else 0.2)
                    if rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
                        self._reconnect()
                    elif not had:
                        first = time.monotonic()
                    elif len(self._batch) == had or time.monotonic() - first > self._linger_s:
                        break  # nothing more waiting: hand the batch on now
                if self._batch:
                    self._process(self._batch)
        finally:
            client.disconnect()

    def _reconnect(self) -> None:
        """Unacknowledged messages are the broker's again: it redelivers them."""
        self._batch.clear()
        while not self._stop.is_set():
            try:
                if self._client.reconnect() == MQTTErrorCode.MQTT_ERR_SUCCESS:
                    return
            except OSError as exc:
                log.warning("MQTT reconnect failed: %s", exc)
            self._stop.wait(1.0)

    def stop(self) -> None:
        self._stop.set()

    def _process(self, batch: list[Delivery]) -> None:
        readings, senders = self._decode(batch)
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
        # After the commit: now the broker may forget them.
        self._client.ack_all([mid for _, mid, _ in batch])
        self.stats.messages += len(batch)
        self.stats.readings += len(readings)
        self.stats.batches += 1
        batch.clear()

    def _decode(self, batch: list[Delivery]) -> tuple[list[WireReading], list[str]]:
        """The readings and, per reading, the device of its topic. The whole batch is
        decoded at once; if one message is bad, each is decoded alone."""
        decoded: Sequence[WireReading | list[WireReading] | None]
        try:
            decoded = _many.decode(b"[" + b",".join([p for _, _, p in batch]) + b"]")
        except (msgspec.ValidationError, msgspec.DecodeError):
            decoded = [self._decode_one(topic, payload) for topic, _, payload in batch]
        readings: list[WireReading] = []
        senders: list[str] = []
        for (topic, _, _), item in zip(batch, decoded, strict=True):
            device = self._devices.get(topic) or self._device(topic)
            if isinstance(item, WireReading):
                readings.append(item)
                senders.append(device)
            elif item is not None:
                readings.extend(item)
                senders.extend([device] * len(item))
        return readings, senders

    def _decode_one(
        self, topic: bytes, payload: bytes | bytearray
    ) -> WireReading | list[WireReading] | None:
        try:
            return _one_or_many.decode(payload)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            self.stats.malformed += 1
            log.warning("malformed MQTT message on %s: %s", topic.decode(errors="replace"), exc)
            return None

    def _device(self, topic: bytes) -> str:
        parts = topic.decode(errors="replace").split("/")
        device = parts[2] if len(parts) >= 4 else ""
        if len(self._devices) < 100_000:
            self._devices[topic] = device
        return device
