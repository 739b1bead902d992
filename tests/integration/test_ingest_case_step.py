"""The case step after the commit: deferred, and never lost to a crash before it ran."""

from __future__ import annotations

from datetime import timedelta

from civicgrid.bootstrap import Container
from tests.integration.iot_world import T0, build_world


def _alert_cases(container: Container) -> list[int | None]:
    with container.iot_uow() as uow:
        page = uow.alerts.within(["/"], active=None, offset=0, limit=100)
    return [a.case_id for a in page.items]


def _cases(container: Container) -> set[int]:
    with container.uow() as uow:
        return {e.case_id for events in uow.cases.iter_events() for e in events}


def test_a_deferred_case_opens_when_the_step_is_settled(container: Container) -> None:
    world = build_world(container)
    world.pipeline.ingest(world.incoming("WL-1", [0.3, 0.3, 0.3]), None, T0, defer_cases=True)
    assert _alert_cases(container) == [None]  # committed with the readings, case owed
    [case_id] = world.pipeline.settle_cases(T0 + timedelta(minutes=3))
    assert _alert_cases(container) == [case_id]
    assert world.pipeline.settle_cases(T0 + timedelta(minutes=3)) == []
    assert _cases(container) == {case_id}


def test_a_crash_before_the_case_step_leaves_the_case_to_the_restart_exactly_once(
    container: Container,
) -> None:
    world = build_world(container)
    # The process dies after the batch's commit, before its case step ran.
    world.pipeline.ingest(world.incoming("WL-1", [0.3, 0.3, 0.3]), None, T0, defer_cases=True)
    assert _alert_cases(container) == [None]
    world.restart(now=T0 + timedelta(minutes=3))
    [case_id] = _alert_cases(container)
    assert case_id is not None
    world.restart(now=T0 + timedelta(minutes=4))
    world.minutes("WL-1", [0.3], start=3)  # still firing: the same alert, the same case
    assert _alert_cases(container) == [case_id]
    assert _cases(container) == {case_id}
