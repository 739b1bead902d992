"""Video detections become alerts, and alerts cases, through the same path as sensors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from civicgrid.domain.alerts.video import Detection, Verdict, VideoRule, judge
from civicgrid.domain.sensors import SensorType
from civicgrid.services.sensor_ports import IotUnitOfWork, StoredAlert


@dataclass(frozen=True, slots=True)
class DetectionOutcome:
    verdict: Verdict | None  # None: rejected, see reason
    alert_id: int | None = None
    reason: str = ""


def record_detections(
    uow: IotUnitOfWork,
    rules: Mapping[str, VideoRule],
    detections: Sequence[Detection],
    *,
    sender: str | None,
) -> list[DetectionOutcome]:
    """One alert per (camera, event type) within the type's dedup window; repeats count.
    Cases follow from the stored alerts (services.alert_cases.open_alert_cases)."""
    outcomes = []
    with uow:
        for detection in detections:
            camera = uow.sensors.get(detection.camera_id)
            if camera is None or camera.type is not SensorType.CAMERA or not camera.active:
                outcomes.append(
                    DetectionOutcome(None, reason=f"no active camera {detection.camera_id}")
                )
                continue
            if sender is not None and sender not in (camera.id, camera.gateway):
                outcomes.append(
                    DetectionOutcome(None, reason=f"this token may not report for {camera.id}")
                )
                continue
            rule = rules.get(detection.event_type)
            current = uow.alerts.active(camera.id, f"video:{detection.event_type}")
            verdict = judge(detection, rule, current.fired_at if current else None)
            if verdict is Verdict.REPEAT and current is not None:
                uow.alerts.update(
                    current.id, hits=current.hits + 1, last_value=detection.confidence
                )
                outcomes.append(DetectionOutcome(verdict, current.id))
                continue
            if verdict is not Verdict.NEW or rule is None:
                outcomes.append(DetectionOutcome(verdict))
                continue
            if current is not None:  # an older detection's alert: this one replaces it
                uow.alerts.update(current.id, active=False, cleared_at=detection.at)
            alert_id = uow.alerts.add(
                StoredAlert(
                    id=0,
                    sensor_id=camera.id,
                    rule_id=rule.rule_id,
                    category=rule.category,
                    area_code=camera.area_code,
                    area_path=camera.area_path,
                    severity=int(rule.severity),
                    active=True,
                    flapping=False,
                    silenced=False,
                    fired_at=detection.at,
                    cleared_at=None,
                    last_value=detection.confidence,
                    hits=1,
                    fires=1,
                    acknowledged_at=None,
                    acknowledged_by=None,
                    assignee=None,
                    case_id=None,
                    evidence={
                        "event_type": detection.event_type,
                        "confidence": detection.confidence,
                        "snapshot_url": detection.snapshot_url,
                        "at": detection.at.isoformat(),
                        "camera": {"id": camera.id, "lon": camera.lon, "lat": camera.lat},
                    },
                )
            )
            outcomes.append(DetectionOutcome(verdict, alert_id))
        uow.commit()
    return outcomes
