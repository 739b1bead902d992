"""How the alert and sensor pages name things: severities, states, rules, durations."""

from __future__ import annotations

from datetime import datetime, timedelta

from civicgrid.domain.alerts import GATEWAY_RULE, Rule, Severity
from civicgrid.domain.sensors import SensorType
from civicgrid.web.page import Page

SEVERITY_CLASS = {
    Severity.RED: "red",
    Severity.ORANGE: "orange",
    Severity.YELLOW: "yellow",
    Severity.BLUE: "blue",
}

# Silences: the durations offered, by form value.
DURATIONS = {
    "30m": timedelta(minutes=30),
    "1h": timedelta(hours=1),
    "2h": timedelta(hours=2),
    "4h": timedelta(hours=4),
    "8h": timedelta(hours=8),
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
}


class AlertLabels:
    """Bound to one page: its language decides every word."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def severity(self, level: Severity | int) -> str:
        level = Severity(level)
        return self.page.name(level.name_zh, f"{level.name_en.capitalize()} warning")

    def state(self, state: str) -> str:
        _ = self.page.gettext
        words = {
            "firing": _("Firing"),
            "acknowledged": _("Acknowledged"),
            "flapping": _("Flapping"),
            "silenced": _("Silenced"),
            "cleared": _("Cleared"),
            "pending": _("Pending"),
        }
        return words.get(state, state)

    def rule(self, rule: Rule | None, rule_id: str) -> str:
        if rule_id == GATEWAY_RULE:
            return self.page.gettext("Gateway offline")
        if rule is None:
            return rule_id
        return self.page.name(rule.name_zh, rule.name_en) or rule_id

    def sensor_type(self, value: str) -> str:
        try:
            facts = SensorType(value).facts
        except ValueError:
            return value
        return self.page.name(facts.name_zh, facts.name_en)

    def duration(self, span: timedelta) -> str:
        """A span as people say it: 5 min, 2 h 10 min, 3 d 4 h."""
        _ = self.page.gettext
        minutes = max(int(span.total_seconds() // 60), 0)
        days, rest = divmod(minutes, 24 * 60)
        hours, mins = divmod(rest, 60)
        if days:
            if not hours:
                return _("%(d)d d", d=days)
            return _("%(d)d d %(h)d h", d=days, h=hours)
        if hours:
            if not mins:
                return _("%(h)d h", h=hours)
            return _("%(h)d h %(m)d min", h=hours, m=mins)
        return _("%(m)d min", m=mins)

    def seconds(self, value: float) -> str:
        return self.duration(timedelta(seconds=value))

    def since(self, moment: datetime, now: datetime) -> str:
        return self.page.gettext(
            "%(time)s (%(ago)s ago)",
            time=self.page.local_time(moment),
            ago=self.duration(now - moment),
        )

    def duration_choice(self, key: str) -> str:
        return self.duration(DURATIONS[key])
