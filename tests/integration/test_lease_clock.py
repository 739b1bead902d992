"""The scheduler lease runs on the database's clock, whatever `now` the tick is given."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from civicgrid.adapters.db.clock import database_now
from civicgrid.bootstrap import Container
from civicgrid.services.cases.ticking import tick_cases

FAR_FUTURE = datetime(2030, 1, 1, tzinfo=UTC)
LONG_AGO = datetime(2001, 1, 1, tzinfo=UTC)


def tick(container: Container, holder: str, now: datetime, lease_seconds: float) -> bool:
    report = tick_cases(
        container.uow(), container.rules, now=now, holder=holder, lease_seconds=lease_seconds
    )
    return report.ran


def test_a_replay_dated_in_the_future_holds_the_lease_only_for_its_length(
    container: Container,
) -> None:
    assert tick(container, "cli-replay", FAR_FUTURE, lease_seconds=0.5)
    assert not tick(container, "server", datetime.now(UTC), lease_seconds=60)
    time.sleep(0.7)
    assert tick(container, "server", datetime.now(UTC), lease_seconds=60)


def test_a_tick_dated_in_the_past_does_not_let_its_lease_lapse_at_once(
    container: Container,
) -> None:
    assert tick(container, "cli-replay", LONG_AGO, lease_seconds=60)
    assert not tick(container, "server", datetime.now(UTC), lease_seconds=60)
    assert not tick(container, "server", FAR_FUTURE, lease_seconds=60)
    assert tick(container, "cli-replay", LONG_AGO, lease_seconds=60)  # its holder renews it


def test_the_database_clock_is_aware_utc_and_moves(container: Container) -> None:
    with container.session_factory() as session, session.begin():
        # One transaction: PostgreSQL's now() would stand still in it; this clock must not.
        first = database_now(session)
        time.sleep(0.02)
        second = database_now(session)
    assert first.tzinfo is UTC
    assert abs(first - datetime.now(UTC)) < timedelta(seconds=5)
    assert second > first
