"""/api/v1/readings: sensor readings in batches, from a device or a gateway."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, BackgroundTasks, Request

from civicgrid.adapters.alert_rules_file import load_video_rules
from civicgrid.adapters.reading_codec import decode_json_array, decode_ndjson
from civicgrid.api.deps import ContainerDep
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.schemas.iot import DetectionAnswer, DetectionCreate, IngestAnswer
from civicgrid.bootstrap import Container
from civicgrid.domain.alerts.video import Verdict
from civicgrid.domain.errors import InvalidInput, Unauthenticated
from civicgrid.services.alert_cases import open_alert_cases
from civicgrid.services.alerts_video import record_detections
from civicgrid.services.ingest import Device, IncomingReadings
from civicgrid.services.sensors import device_for_token

PATH = "/api/v1/readings"
MAX_BODY = 64 * 1_048_576  # about a million readings
NDJSON = ("application/x-ndjson", "application/ndjson", "application/jsonl")

router = APIRouter(tags=["readings"], responses=ERROR_RESPONSES)


_READING = {
    "type": "object",
    "required": ["sensor", "ts", "value"],
    "properties": {
        "sensor": {"type": "string", "minLength": 1, "maxLength": 64},
        "ts": {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "number"}]},
        "value": {"type": "number"},
    },
    "additionalProperties": False,
}
_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"type": "array", "items": _READING}},
        "application/x-ndjson": {"schema": {"type": "string"}},
    },
}


@router.post(PATH, openapi_extra={"requestBody": _BODY})
async def post_readings(
    request: Request, container: ContainerDep, background: BackgroundTasks
) -> IngestAnswer:
    """A JSON array (or NDJSON, one per line) of {sensor, ts, value}; ts is RFC 3339 with a
    zone, or seconds since the epoch. Authenticate with a device or gateway token.

    Each row is accepted, a duplicate (already stored), or rejected with its reason; a bad
    row never stops the others. Cases for new alerts open just after the answer."""
    token = _bearer(request.headers.get("authorization"))
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    answer = await asyncio.to_thread(_ingest, container, token, body, content_type)
    pipeline = container.alert_pipeline
    if pipeline.case_step.pending:
        background.add_task(lambda: pipeline.settle_cases(container.clock()))
    return answer


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
    result = pipeline.ingest(incoming, Device(*found), now, defer_cases=True)
    return IngestAnswer.of(result)


def _decode(body: bytes, content_type: str) -> IncomingReadings:
    try:
        if content_type.split(";")[0].strip().lower() in NDJSON:
            return decode_ndjson(body)
        return decode_json_array(body)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="body") from None


@router.post("/api/v1/detections")
def post_detections(
    request: Request, container: ContainerDep, body: list[DetectionCreate]
) -> list[DetectionAnswer]:
    """Video detections from a camera (or its gateway): below the event type's confidence
    they are ignored; within its dedup window they count on the open alert; else a new
    alert opens a case (source: video)."""
    found = device_for_token(container.iot_uow(), _bearer(request.headers.get("authorization")))
    if found is None:
        raise Unauthenticated("unknown or revoked device token")
    rules = load_video_rules(container.settings.alert_rules_file)
    detections = [d.to_detection() for d in body]
    outcomes = record_detections(container.iot_uow(), rules, detections, sender=found[0])
    pipeline = container.alert_pipeline
    if pipeline.cases is not None and any(o.verdict is Verdict.NEW for o in outcomes):
        c = pipeline.cases
        open_alert_cases(
            container.iot_uow(),
            c.locators,
            c.case_rules,
            pipeline.rules,
            now=container.clock(),
            feed=c.feed,
            chains=c.chains,
        )
    return [DetectionAnswer.of(row, o) for row, o in enumerate(outcomes)]
