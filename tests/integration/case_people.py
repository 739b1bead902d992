"""A small city with four people in it, and reporting there; for the feed and inbox tests.

Also `require_nats`: the NATS server, or a visible skip (a failure with CI=true).
"""

from __future__ import annotations

import socket

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Principal, Role
from civicgrid.domain.cases.stages import Source, Urgency
from civicgrid.services.area_import import import_areas
from civicgrid.services.cases.intake import ReportRequest, report_case
from civicgrid.services.feed import FeedPublisher
from tests import fixtures
from tests.factories import centre_of, small_city
from tests.fixtures import MICRO, MONDAY_9AM, service_missing

NATS_URL = "nats://127.0.0.1:4222"
PEOPLE = {
    "inspector": (Role.GRID_WORKER, MICRO),
    "acceptor": (Role.CASE_ACCEPTOR, "410102"),
    "officer": (Role.DISTRICT_OFFICER, "410102"),
    "other_officer": (Role.DISTRICT_OFFICER, "410103"),
}


def require_nats() -> str:
    try:
        socket.create_connection(("127.0.0.1", 4222), timeout=1).close()
    except OSError as exc:
        service_missing(f"NATS is not reachable at {NATS_URL}: {exc.__class__.__name__}")
    return NATS_URL


def add_people(container: Container) -> dict[str, Principal]:
    """The small city, and `PEOPLE` with their grants, as the principals they act as."""
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    return fixtures.principals(container, fixtures.add_people(container, PEOPLE))


def report(
    container: Container,
    who: Principal,
    feed: FeedPublisher | None,
    *,
    urgency: Urgency | None = None,
    key: str | None = None,
) -> int:
    """A garbage report at the centre of `MICRO`, on Monday 09:00."""
    lat, lon = centre_of(next(a for a in small_city() if a.code == MICRO))
    request = ReportRequest(
        category="event:0101",
        description="垃圾堆在路边",
        source=Source.GRID_WORKER,
        lat=lat,
        lon=lon,
        urgency=urgency,
        idempotency_key=key,
    )
    reported = report_case(
        container.uow(),
        container.locators,
        container.rules,
        who,
        request,
        now=MONDAY_9AM,
        snap_tolerance_m=50,
        feed=feed,
    )
    return reported.case.id
