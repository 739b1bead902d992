"""Publishing readings over MQTT at QoS 1 with a bounded window of unacknowledged messages.

paho gives each QoS 1 message a 16-bit id; with more than 65,535 outstanding, ids are
reused and messages silently lost. The window here blocks `publish` until the broker
has acknowledged enough earlier messages (used by the simulator and the benchmarks).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

MAX_WINDOW = 60_000  # safely under paho's 65,535 message ids


class BoundedPublisher:
    def __init__(self, host: str, port: int, *, client_id: str, window: int = 1000) -> None:
        if not 1 <= window <= MAX_WINDOW:
            raise ValueError(f"window must be 1 to {MAX_WINDOW}")
        self._window = threading.BoundedSemaphore(window)
        self._size = window
        self._client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id)
        self._client.max_inflight_messages_set(window)
        self._client.on_publish = self._acknowledged
        self._client.connect(host, port)
        self._client.loop_start()

    def _acknowledged(self, *_: Any) -> None:
        self._window.release()

    def publish(self, topic: str, payload: bytes) -> None:
        self._window.acquire()
        info = self._client.publish(topic, payload, qos=1)
        if info.rc != mqtt.MQTT_ERR_SUCCESS:
            self._window.release()
            raise ConnectionError(f"MQTT publish failed: {mqtt.error_string(info.rc)}")

    def drain(self, timeout_s: float = 60.0) -> None:
        """Wait until the broker has acknowledged every message."""
        deadline = time.monotonic() + timeout_s
        for _ in range(self._size):
            if not self._window.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise TimeoutError("the broker did not acknowledge every message in time")
        for _ in range(self._size):
            self._window.release()

    def close(self) -> None:
        self._client.loop_stop()
        self._client.disconnect()
