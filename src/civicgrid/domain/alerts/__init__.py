"""Alert rules and the engine that turns sensor readings into alerts."""

from civicgrid.domain.alerts.engine import ActiveAlert, AlertEngine, AlertState, Evaluation
from civicgrid.domain.alerts.events import GATEWAY_RULE, AlertEvent, EventKind
from civicgrid.domain.alerts.rule_parsing import parse_duration, parse_rule_set
from civicgrid.domain.alerts.rules import Flapping, Level, Override, Rule, RuleSet, When
from civicgrid.domain.alerts.severity import Severity
from civicgrid.domain.alerts.silences import Silence

__all__ = [
    "GATEWAY_RULE",
    "ActiveAlert",
    "AlertEngine",
    "AlertEvent",
    "AlertState",
    "Evaluation",
    "EventKind",
    "Flapping",
    "Level",
    "Override",
    "Rule",
    "RuleSet",
    "Severity",
    "Silence",
    "When",
    "parse_duration",
    "parse_rule_set",
]
