"""Rules from plain data (as loaded from YAML by an adapter), checked with clear messages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from civicgrid.domain.alerts.rules import (
    MAX_FLAP,
    MAX_LEVELS,
    MAX_M,
    Flapping,
    Level,
    Override,
    Rule,
    RuleSet,
    When,
)
from civicgrid.domain.alerts.severity import Severity
from civicgrid.domain.errors import InvalidInput

_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


def parse_duration(value: object, where: str) -> float:
    """`90`, `90s`, `2m`, `1.5h` → seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    match = _DURATION.match(str(value))
    if match is None:
        raise InvalidInput(f"{where}: {value!r} is not a duration such as 90s, 2m or 1h")
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]


def parse_rule_set(data: Mapping[str, Any]) -> RuleSet:
    rules = tuple(_rule(item, i) for i, item in enumerate(data.get("rules") or []))
    ids = [rule.id for rule in rules]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise InvalidInput(f"rule ids must be unique; repeated: {', '.join(duplicated)}")
    overrides = tuple(_override(item, set(ids)) for item in data.get("overrides") or [])
    timeout = parse_duration(data.get("gateway_timeout", 300), "gateway_timeout")
    return RuleSet(rules=rules, overrides=overrides, gateway_timeout_s=timeout)


def _rule(item: Mapping[str, Any], index: int) -> Rule:
    where = f"rule {item.get('id', index)!s}"
    for key in ("id", "sensor_type", "category", "when", "levels"):
        if key not in item:
            raise InvalidInput(f"{where}: missing {key}")
    try:
        when = When(item["when"])
    except ValueError:
        raise InvalidInput(
            f"{where}: when must be one of {', '.join(w.value for w in When)}"
        ) from None
    levels = tuple(_level(level, where) for level in item["levels"])
    if not 1 <= len(levels) <= MAX_LEVELS:
        raise InvalidInput(f"{where}: give 1 to {MAX_LEVELS} levels")
    if [lv.severity for lv in levels] != sorted({lv.severity for lv in levels}):
        raise InvalidInput(f"{where}: levels must rise in severity, each once")
    clear = item.get("clear") or {}
    n_of_m = _n_of_m(item.get("n_of_m"), where)
    window = parse_duration(item.get("window", 0), f"{where}.window")
    if when in (When.RATE_ABOVE, When.RATE_BELOW) and window <= 0:
        raise InvalidInput(f"{where}: a rate rule needs a window")
    if when is When.NO_DATA and any(lv.threshold is None for lv in levels):
        raise InvalidInput(f"{where}: no_data levels need a threshold (a duration)")
    return Rule(
        id=str(item["id"]),
        sensor_type=str(item["sensor_type"]),
        category=str(item["category"]),
        when=when,
        levels=levels,
        for_s=parse_duration(item.get("for", 0), f"{where}.for"),
        clear_threshold=_number(clear.get("threshold"), f"{where}.clear.threshold"),
        clear_attribute=clear.get("attribute"),
        clear_for_s=parse_duration(clear.get("for", 0), f"{where}.clear.for"),
        window_s=window,
        n_of_m=n_of_m,
        flapping=_flapping(item.get("flapping"), where),
        close_case_on_clear=bool(item.get("close_case_on_clear", False)),
        name_zh=str(item.get("name_zh", item["id"])),
        name_en=str(item.get("name_en", item["id"])),
    )


def _level(item: Mapping[str, Any], where: str) -> Level:
    try:
        severity = Severity.parse(str(item.get("severity")))
    except ValueError as exc:
        raise InvalidInput(f"{where}: {exc}") from None
    threshold = item.get("threshold")
    attribute = item.get("attribute")
    if (threshold is None) == (attribute is None):
        raise InvalidInput(f"{where}: each level needs a threshold or an attribute, not both")
    if threshold is not None and isinstance(threshold, str):
        threshold = parse_duration(threshold, f"{where}.threshold")
    return Level(severity, _number(threshold, f"{where}.threshold"), attribute)


def _number(value: object, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{where}: {value!r} is not a number")
    return float(value)


def _n_of_m(value: object, where: str) -> tuple[int, int] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise InvalidInput(f"{where}: n_of_m is a pair [n, m]")
    n, m = int(value[0]), int(value[1])
    if not 1 <= n <= m <= MAX_M:
        raise InvalidInput(f"{where}: n_of_m needs 1 <= n <= m <= {MAX_M}")
    return n, m


def _flapping(value: Mapping[str, Any] | None, where: str) -> Flapping | None:
    if value is None:
        return None
    transitions = int(value.get("transitions", 0))
    if not 2 <= transitions <= MAX_FLAP:
        raise InvalidInput(f"{where}: flapping.transitions must be 2 to {MAX_FLAP}")
    return Flapping(
        transitions,
        parse_duration(value.get("window", "10m"), f"{where}.flapping.window"),
        parse_duration(value.get("stable", "10m"), f"{where}.flapping.stable"),
    )


def _override(item: Mapping[str, Any], rule_ids: set[str]) -> Override:
    rule_id = str(item.get("rule", ""))
    if rule_id not in rule_ids:
        raise InvalidInput(f"override for sensor {item.get('sensor')}: no rule {rule_id!r}")
    levels = item.get("levels") or {}
    thresholds = {}
    for name, value in levels.items():
        try:
            severity = Severity.parse(str(name))
        except ValueError as exc:
            raise InvalidInput(f"override {rule_id}: {exc}") from None
        number = _number(value, f"override {rule_id}.levels.{name}")
        assert number is not None  # noqa: S101 - a level value was given
        thresholds[severity] = number
    return Override(
        sensor_id=str(item["sensor"]),
        rule_id=rule_id,
        enabled=bool(item.get("enabled", True)),
        thresholds=thresholds,
        clear_threshold=_number(item.get("clear_threshold"), f"override {rule_id}.clear"),
        for_s=parse_duration(item["for"], "override.for") if "for" in item else None,
        clear_for_s=parse_duration(item["clear_for"], "override") if "clear_for" in item else None,
    )
