"""paho's MQTT client, reading many packets per system call and acknowledging in bulk.

Stock paho reads a packet's fixed header one byte per `recv`, handles one packet per
`select`, builds an `MQTTMessage` (and a properties object) for each PUBLISH and queues
one PUBACK per call. At tens of thousands of messages a second that pure-Python work is
the whole cost. This subclass keeps paho for the session (connect, subscribe, keepalive,
reconnect, every packet other than a plain QoS 1 PUBLISH) and changes only the hot path:
it reads up to `CHUNK` bytes at once, splits the complete packets out of them, and hands
each QoS 1 PUBLISH to the caller as (topic, mid, payload); PUBACKs go out as one write.

Written against paho-mqtt 2.2 (pinned): it overrides `_packet_read` and uses
`_packet_queue`, which are internal.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode
from paho.mqtt.exception import MalformedPacket

CHUNK = 256 * 1024
_PUBACK = 0x40
_QOS1_PUBLISH = 0x32  # the header with the dup and retain bits masked out

Delivery = tuple[bytes, int, bytes | bytearray]  # topic, message id, payload


class BatchingClient(mqtt.Client):
    """Delivers QoS 1 messages to `deliver`; they are acknowledged only by `ack_all`."""

    def __init__(self, deliver: Callable[[Delivery], None], **kwargs: object) -> None:
        super().__init__(manual_ack=True, **kwargs)  # type: ignore[arg-type]
        self._deliver = deliver
        self._rest = b""

    def reconnect(self) -> MQTTErrorCode:
        self._rest = b""  # a part packet of the old connection
        return super().reconnect()

    def _packet_read(self) -> MQTTErrorCode:
        try:
            chunk = self._sock_recv(CHUNK)
        except BlockingIOError:
            return MQTTErrorCode.MQTT_ERR_AGAIN
        except OSError:
            return MQTTErrorCode.MQTT_ERR_CONN_LOST
        if not chunk:
            return MQTTErrorCode.MQTT_ERR_CONN_LOST
        buf = self._rest + chunk if self._rest else chunk
        with self._msgtime_mutex:
            self._last_bytes_received = mqtt.time_func()
        pos, end, deliver, v5 = 0, len(buf), self._deliver, self._protocol == mqtt.MQTTv5
        while end - pos >= 2:
            header, length, mult, i = buf[pos], 0, 1, pos + 1
            while i < end:  # the remaining length: 1 to 4 bytes of 7 bits
                byte = buf[i]
                length += (byte & 127) * mult
                mult <<= 7
                i += 1
                if byte < 128:
                    break
                if i - pos > 4:
                    return MQTTErrorCode.MQTT_ERR_PROTOCOL
            else:
                break  # the length itself is incomplete
            if i + length > end:
                break
            start, pos = i, i + length
            if header & 0xF6 == _QOS1_PUBLISH:
                topic_end = start + 2 + (buf[start] << 8 | buf[start + 1])
                mid = buf[topic_end] << 8 | buf[topic_end + 1]
                body = topic_end + 2
                if not v5 or buf[body] == 0:  # no properties: the usual case
                    deliver((buf[start + 2 : topic_end], mid, buf[body + v5 : pos]))
                    continue
            rc = self._handle_whole(header, buf[start:pos])
            if rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
                return rc
        self._rest = buf[pos:]
        return MQTTErrorCode.MQTT_ERR_SUCCESS

    def _handle_whole(self, header: int, packet: bytes) -> MQTTErrorCode:
        """Any other packet goes through paho's own handling."""
        self._in_packet = {
            "command": header,
            "have_remaining": 1,
            "remaining_count": [],
            "remaining_mult": 1,
            "remaining_length": len(packet),
            "packet": bytearray(packet),
            "to_process": 0,
            "pos": 0,
        }
        try:
            return self._packet_handle()
        except MalformedPacket:
            return MQTTErrorCode.MQTT_ERR_PROTOCOL

    def ack_all(self, mids: list[int]) -> MQTTErrorCode:
        """PUBACK (success) for each QoS 1 message id, written as one packet train."""
        ids = np.asarray(mids, np.uint16)
        ids = ids[ids != 0]  # QoS 0 messages carry no id and need no acknowledgement
        if not ids.size:
            return MQTTErrorCode.MQTT_ERR_SUCCESS
        train = np.empty((ids.size, 4), np.uint8)
        train[:, 0], train[:, 1] = _PUBACK, 2
        train[:, 2], train[:, 3] = ids >> 8, ids & 0xFF
        return self._packet_queue(_PUBACK, train.tobytes(), 0, 0)
