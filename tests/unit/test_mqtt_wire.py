"""The batching MQTT client splits packets out of whatever chunks the socket gives."""

from __future__ import annotations

import struct

import pytest
from paho.mqtt.client import MQTTv5
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode

from civicgrid.adapters.mqtt_wire import BatchingClient, Delivery


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        n, digit = n >> 7, n & 127
        out.append(digit | (128 if n else 0))
        if not n:
            return bytes(out)


def _publish(topic: bytes, mid: int, payload: bytes, *, header: int = 0x32) -> bytes:
    body = struct.pack("!H", len(topic)) + topic + struct.pack("!H", mid) + b"\x00" + payload
    return bytes([header]) + _varint(len(body)) + body


class ChunkedSocket:
    """Hands out the stream in fixed-size pieces, then says "would block"."""

    def __init__(self, data: bytes, size: int) -> None:
        self._pieces = [data[i : i + size] for i in range(0, len(data), size)]

    def recv(self, bufsize: int) -> bytes:
        if not self._pieces:
            raise BlockingIOError
        piece = self._pieces.pop(0)
        assert len(piece) <= bufsize
        return piece

    def close(self) -> None:
        self._pieces = []


def _client(delivered: list[Delivery], data: bytes, size: int) -> BatchingClient:
    client = BatchingClient(
        delivered.append, callback_api_version=CallbackAPIVersion.VERSION2, protocol=MQTTv5
    )
    client._sock = ChunkedSocket(data, size)  # type: ignore[assignment]
    return client


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 1 << 20])
def test_every_publish_is_delivered_once_however_the_stream_is_cut(size: int) -> None:
    payloads = [b"x" * n for n in (0, 1, 100, 200, 20_000, 3)]  # 1-, 2- and 3-byte lengths
    sent = [(b"city/v1/GW-%d/readings" % i, i + 1, p) for i, p in enumerate(payloads)]
    data = b"".join(_publish(*message) for message in sent[:3])
    data += b"\xd0\x00"  # a PINGRESP in the middle goes through paho's own handling
    data += _publish(*sent[3], header=0x3A)  # a resend (dup flag set)
    data += b"".join(_publish(*message) for message in sent[4:])
    delivered: list[Delivery] = []
    client = _client(delivered, data, size)
    for _ in range(len(data) + 1):
        if client._packet_read() == MQTTErrorCode.MQTT_ERR_AGAIN:
            break
    assert delivered == sent


def test_a_garbled_length_is_a_protocol_error() -> None:
    client = _client([], b"\x32\xff\xff\xff\xff\x01", 64)
    assert client._packet_read() == MQTTErrorCode.MQTT_ERR_PROTOCOL


def test_acknowledgements_go_out_as_one_train_of_pubacks() -> None:
    client = BatchingClient(lambda _: None, callback_api_version=CallbackAPIVersion.VERSION2)
    queued: list[bytes] = []

    def queue(command: int, packet: bytes, mid: int, qos: int, info: object = None) -> int:
        queued.append(bytes(packet))
        return MQTTErrorCode.MQTT_ERR_SUCCESS

    client._packet_queue = queue  # type: ignore[method-assign,assignment]
    client.ack_all([1, 0, 258, 65_535])  # 0: a QoS 0 message, nothing to acknowledge
    assert queued == [b"\x40\x02\x00\x01" + b"\x40\x02\x01\x02" + b"\x40\x02\xff\xff"]
