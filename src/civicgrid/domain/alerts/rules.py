"""Alert rules as data: one rule per sensor type and condition, with per-sensor overrides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from civicgrid.domain.alerts.severity import Severity


class When(StrEnum):
    ABOVE = "above"  # the reading is above the threshold
    BELOW = "below"
    RATE_ABOVE = "rate_above"  # rise per minute over the window is above the threshold
    RATE_BELOW = "rate_below"  # change per minute is below (e.g. a fall faster than -x)
    NO_DATA = "no_data"  # silence longer than the threshold, in seconds (timer-driven)

    @property
    def rises(self) -> bool:
        """True where a larger measure is worse (above, rate_above, no_data)."""
        return self in (When.ABOVE, When.RATE_ABOVE, When.NO_DATA)


@dataclass(frozen=True, slots=True)
class Level:
    severity: Severity
    threshold: float | None = None
    attribute: str | None = None  # take the threshold from the sensor's attributes


@dataclass(frozen=True, slots=True)
class Flapping:
    """`transitions` fire/clear changes within `window_s` mean flapping; it ends after
    `stable_s` without a change."""

    transitions: int
    window_s: float
    stable_s: float


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    sensor_type: str
    category: str  # the case category an alert opens
    when: When
    levels: tuple[Level, ...]  # in rising severity
    for_s: float = 0.0
    clear_threshold: float | None = None  # None: the lowest level's threshold
    clear_attribute: str | None = None
    clear_for_s: float = 0.0
    window_s: float = 0.0  # rate rules
    n_of_m: tuple[int, int] | None = None  # the condition holds in n of the last m readings
    flapping: Flapping | None = None
    close_case_on_clear: bool = False
    name_zh: str = ""
    name_en: str = ""


@dataclass(frozen=True, slots=True)
class Override:
    """Per-sensor changes to one rule."""

    sensor_id: str
    rule_id: str
    enabled: bool = True
    thresholds: Mapping[Severity, float] = field(default_factory=dict)
    clear_threshold: float | None = None
    for_s: float | None = None
    clear_for_s: float | None = None


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]
    overrides: tuple[Override, ...] = ()
    gateway_timeout_s: float = 300.0  # a gateway silent this long is offline

    def for_type(self, sensor_type: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.sensor_type == sensor_type]

    def rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def override(self, sensor_id: str, rule_id: str) -> Override | None:
        return next(
            (o for o in self.overrides if o.sensor_id == sensor_id and o.rule_id == rule_id), None
        )


MAX_LEVELS = 4
MAX_M = 64  # n-of-m histories are 64-bit masks
MAX_FLAP = 16  # remembered transition times per (sensor, rule)
