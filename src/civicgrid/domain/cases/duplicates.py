"""Suspected duplicates: an earlier case of the same category, near in place and time.

The caller supplies the candidates; a storage prefilter may pass more than qualify,
and this module decides. Distances are equirectangular around the new case's point
(see `domain/areas/location.py`): well under 1 % off at any duplicate radius.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from civicgrid.domain.areas.location import metres_per_degree, metres_to_degrees
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.emit import emit
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.guards import check_may
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Outcome
from civicgrid.domain.errors import Conflict

Point = tuple[float, float]  # (longitude, latitude)

SUSPECTS_KEY = "suspected_duplicates"
"""The key of a NOTED event's data that lists the suspected originals."""


@dataclass(frozen=True, slots=True)
class DuplicateRule:
    """A category's radius and window; either at 0 turns suggestions off."""

    radius_m: float
    window: timedelta

    @property
    def active(self) -> bool:
        return self.radius_m > 0 and self.window > timedelta(0)


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    category: str
    point: Point
    reported_at: datetime


def distance_m(origin: Point, other: Point) -> float:
    """Metres from `origin` to `other`, with the scale at `origin`'s latitude."""
    per_lon, per_lat = metres_per_degree(origin[1])
    return math.hypot((other[0] - origin[0]) * per_lon, (other[1] - origin[1]) * per_lat)


def search_box(origin: Point, radius_m: float) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) holding every point within `radius_m`.

    One metre wider than the radius, so that rounding at the edge never drops a
    point that `distance_m` keeps; the distance test decides.
    """
    d_lon, d_lat = metres_to_degrees(radius_m + 1, origin[1])
    return origin[0] - d_lon, origin[1] - d_lat, origin[0] + d_lon, origin[1] + d_lat


def suspected_duplicates(
    category: str,
    point: Point,
    reported_at: datetime,
    rule: DuplicateRule,
    candidates: Iterable[Candidate],
) -> list[int]:
    """Ids of the candidates of `category` within the radius (inclusive) and reported
    in the window up to `reported_at` (both ends inclusive); nearest first, then the
    earlier report, then the lower id."""
    if not rule.active:
        return []
    since = reported_at - rule.window
    found = []
    for candidate in candidates:
        if candidate.category != category or not since <= candidate.reported_at <= reported_at:
            continue
        metres = distance_m(point, candidate.point)
        if metres <= rule.radius_m:
            found.append((metres, candidate.reported_at, candidate.id))
    return [case_id for _, _, case_id in sorted(found)]


def flag_suspects(case: Case, now: datetime, suspects: Sequence[int]) -> CaseEvent:
    """The system's note naming the cases `case` may repeat.

    `controls.note` carries only text, so this is its twin with the ids as data;
    it passes the same guard, as the system in its NOTE permission.
    """
    now = check_may(case, CaseAction.NOTE, "system", Position.SYSTEM, now)
    ids = [int(case_id) for case_id in suspects]
    text = "suspected duplicate of " + ", ".join(f"case {case_id}" for case_id in ids)
    data = {"text": text, SUSPECTS_KEY: ids}
    return emit(case, EventType.NOTED, "system", Position.SYSTEM, now, data=data)


def suspected_in(events: Iterable[CaseEvent]) -> list[int]:
    """Every case the log has flagged this one as possibly repeating, first flag first."""
    seen: dict[int, None] = {}
    for event in events:
        if event.type is EventType.NOTED:
            seen.update(dict.fromkeys(int(i) for i in event.data.get(SUSPECTS_KEY, ())))
    return list(seen)


def check_merge_target(case: Case, target: Case) -> None:
    """`merge_into` checks the merged case; this checks the case that carries on."""
    if target.finished:
        if target.outcome is Outcome.DUPLICATE:
            raise Conflict(
                f"case {target.id} was itself merged into case {target.merged_into}; "
                f"merge case {case.id} into that one"
            )
        ended = "void" if target.outcome is Outcome.VOID else f"closed ({target.outcome})"
        raise Conflict(f"case {target.id} is {ended}; merge case {case.id} only into an open case")
    if target.category != case.category:
        raise Conflict(
            f"case {case.id} is {case.category} and case {target.id} is {target.category}; "
            "only cases of the same category merge"
        )
