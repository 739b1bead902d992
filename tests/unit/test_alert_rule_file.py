"""The shipped alert rules parse, and each opens a case category that exists."""

from __future__ import annotations

import pytest

from civicgrid.adapters.alert_rules_file import default_rules_text, parse_rules_text
from civicgrid.adapters.category_files import default_category_tree
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sensors import SensorType


def test_default_rules_cover_every_measuring_sensor_type_with_real_categories() -> None:
    rules = parse_rules_text(default_rules_text())
    tree = default_category_tree()
    covered = {rule.sensor_type for rule in rules.rules}
    assert covered == {str(t) for t in SensorType if t is not SensorType.CAMERA}
    for rule in rules.rules:
        if rule.category:
            assert tree.minor(rule.category).key == rule.category


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [", "not valid YAML"),
        ("- 1\n- 2", "must be a mapping"),
        ("rules:\n  - id: x", "missing"),
    ],
)
def test_broken_rule_files_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_rules_text(text)
