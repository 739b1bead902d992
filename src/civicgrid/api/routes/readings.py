"""/api/v1/readings: sensor readings in batches, from a device or a gateway."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Header, Request

from civicgrid.adapters.reading_codec import decode_json_array, decode_ndjson
from civicgrid.api.deps import ContainerDep
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.schemas.iot import IngestAnswer
from civicgrid.bootstrap import Container
from civicgrid.domain.errors import InvalidInput, Unauthenticated
from civicgrid.services.ingest import Device, IncomingReadings
from civicgrid.services.sensors import device_for_token

PATH = "/api/v1/readings"
MAX_BODY = 64 * 1_048_576  # about a million readings
NDJSON = ("application/x-ndjson", "application/ndjson", "application/jsonl")

router = APIRouter(prefix=PATH, tags=["readings"], responses=ERROR_RESPONSES)


@router.post("")
async def post_readings(
    request: Request,
    container: ContainerDep,
    authorization: Annotated[str | None, Header()] = None,
    content_type: Annotated[str | None, Header()] = None,
) -> IngestAnswer:
    """A JSON array (or NDJSON, one per line) of {sensor, ts, value}; ts is RFC 3339 with a
    zone, or seconds since the epoch. Authenticate with a device or gateway token.

    Each row is accepted, a duplicate (already stored), or rejected with its reason; a bad
    row never stops the others."""
    token = _bearer(authorization)
    body = await request.body()
    return await asyncio.to_thread(_ingest, container, token, body, content_type or "")


def _bearer(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("send a device or gateway token as 'Authorization: Bearer <token>'")
    return token.strip()


def _ingest(container: Container, token: str, body: bytes, content_type: str) -> IngestAnswer:
    found = device_for_token(container.iot_uow(), token)
    if found is None:
        raise Unauthenticated("unknown or revoked device token")
    incoming = _decode(body, content_type)
    now = container.clock()
    pipeline = container.alert_pipeline.ensure_started(now)
    result = pipeline.ingest(incoming, Device(*found), now)
    return IngestAnswer.of(result)


def _decode(body: bytes, content_type: str) -> IncomingReadings:
    try:
        if content_type.split(";")[0].strip().lower() in NDJSON:
            return decode_ndjson(body)
        return decode_json_array(body)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="body") from None
