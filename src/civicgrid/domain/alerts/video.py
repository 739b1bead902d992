"""Video detections (a camera saw illegal parking, overflowing garbage, a crowd, fire):
a confidence threshold, and one alert per camera and event type within a dedup window."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from civicgrid.domain.alerts.rule_parsing import parse_duration
from civicgrid.domain.alerts.severity import Severity
from civicgrid.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Detection:
    camera_id: str
    event_type: str
    confidence: float
    at: datetime
    snapshot_url: str = ""


@dataclass(frozen=True, slots=True)
class VideoRule:
    event_type: str
    category: str
    min_confidence: float = 0.6
    dedup: timedelta = timedelta(minutes=10)
    severity: Severity = Severity.YELLOW

    @property
    def rule_id(self) -> str:
        return f"video:{self.event_type}"


class Verdict(StrEnum):
    NEW = "new"  # a new alert (and a case)
    REPEAT = "repeat"  # the same camera and type within the window: counted on its alert
    LOW_CONFIDENCE = "low_confidence"
    UNKNOWN_TYPE = "unknown_type"


def judge(detection: Detection, rule: VideoRule | None, last_fired: datetime | None) -> Verdict:
    if rule is None:
        return Verdict.UNKNOWN_TYPE
    if detection.confidence < rule.min_confidence:
        return Verdict.LOW_CONFIDENCE
    if last_fired is not None and abs(detection.at - last_fired) < rule.dedup:
        return Verdict.REPEAT
    return Verdict.NEW


DEFAULT_VIDEO_RULES = {
    "illegal_parking": VideoRule("illegal_parking", "event:0505", 0.7, timedelta(minutes=30)),
    "garbage_overflow": VideoRule("garbage_overflow", "event:0102", 0.6, timedelta(hours=2)),
    "crowd": VideoRule("crowd", "event:0403", 0.8, timedelta(minutes=15), Severity.ORANGE),
    "fire": VideoRule("fire", "event:0403", 0.5, timedelta(minutes=10), Severity.RED),
}


def parse_video_rules(data: Mapping[str, Any] | None) -> dict[str, VideoRule]:
    """The `video:` section of the rules file: event type → category, confidence, dedup."""
    if not data:
        return dict(DEFAULT_VIDEO_RULES)
    rules = {}
    for event_type, item in data.items():
        if "category" not in item:
            raise InvalidInput(f"video rule {event_type}: missing category")
        confidence = float(item.get("confidence", 0.6))
        if not 0 <= confidence <= 1:
            raise InvalidInput(f"video rule {event_type}: confidence is between 0 and 1")
        seconds = parse_duration(item.get("dedup", "10m"), f"video rule {event_type}.dedup")
        rules[event_type] = VideoRule(
            event_type=event_type,
            category=str(item["category"]),
            min_confidence=confidence,
            dedup=timedelta(seconds=seconds),
            severity=Severity.parse(str(item.get("severity", "yellow"))),
        )
    return rules
