"""Alert rules from a YAML file; the default ships in civicgrid/data/alert_rules."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import yaml

from civicgrid.domain.alerts import RuleSet, parse_rule_set
from civicgrid.domain.alerts.video import VideoRule, parse_video_rules
from civicgrid.domain.errors import InvalidInput


def default_rules_text() -> str:
    return (resources.files("civicgrid") / "data" / "alert_rules" / "default.yaml").read_text(
        "utf-8"
    )


def parse_rules_text(text: str) -> RuleSet:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"the rules are not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput("the rules file must be a mapping with a `rules` list")
    return parse_rule_set(data)


def load_rules(path: Path | None) -> RuleSet:
    return parse_rules_text(path.read_text("utf-8") if path else default_rules_text())


@functools.lru_cache(maxsize=8)
def load_video_rules(path: Path | None) -> dict[str, VideoRule]:
    """The `video:` section of the rules file (event type → category, confidence, dedup)."""
    data = yaml.safe_load(path.read_text("utf-8") if path else default_rules_text()) or {}
    return parse_video_rules(data.get("video") if isinstance(data, dict) else None)
