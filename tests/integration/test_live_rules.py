"""The case rules in force follow the stored edits: at once in the process that saved
them, within the recheck interval in any other."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from civicgrid.adapters.category_files import default_category_tree
from civicgrid.adapters.live_rules import LiveCaseRules
from civicgrid.bootstrap import Container
from civicgrid.domain.access import local_operator
from civicgrid.domain.calendar import LimitUnit, TimeLimit
from civicgrid.domain.cases.categories.edits import CategoryEdit
from civicgrid.services.admin_calendar import set_calendar_day
from civicgrid.services.admin_categories import edit_category

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
TUESDAY = date(2026, 11, 24)


def test_another_process_sees_an_edit_once_the_recheck_interval_has_passed(
    container: Container,
) -> None:
    clock = {"t": 0.0}
    other = LiveCaseRules(
        lambda: (default_category_tree(), {}),
        container.session_factory,
        container.settings.zone,
        recheck_s=5.0,
        monotonic=lambda: clock["t"],
    )
    assert other.minor("event:0101").limit == TimeLimit(2, LimitUnit.WORKING_HOURS)
    tree = default_category_tree()
    edit = replace(CategoryEdit.of(tree.minor("event:0101")), limit=TimeLimit(4, LimitUnit.HOURS))
    edit_category(container.admin_uow(), local_operator(), tree, edit, now=NOW)
    set_calendar_day(
        container.admin_uow(), local_operator(), TUESDAY, working=False, note="", now=NOW
    )
    clock["t"] = 4.0  # still within the interval: the old version answers
    assert other.minor("event:0101").limit.value == 2
    assert other.calendar.is_working_day(TUESDAY)
    clock["t"] = 5.0
    assert other.minor("event:0101").limit == TimeLimit(4, LimitUnit.HOURS)
    assert not other.calendar.is_working_day(TUESDAY)


def test_the_saving_process_follows_at_once(container: Container) -> None:
    rules = container.rules
    assert rules.tree.minor("event:0101").limit.value == 2
    tree = default_category_tree()
    edit = replace(CategoryEdit.of(tree.minor("event:0101")), duplicate_radius_m=0)
    edit_category(container.admin_uow(), local_operator(), tree, edit, now=NOW)
    container.rules_changed()
    assert rules.tree.minor("event:0101").duplicate_radius_m == 0
    assert rules.category("event:0101", on=NOW).duplicate_radius_m == 0
