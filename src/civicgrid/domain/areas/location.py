"""Where a point falls among the micro-grids, and metre/degree conversion near it.

Distances use the equirectangular approximation on a sphere: around a point, one
degree of latitude is a fixed length and one degree of longitude that length times
cos(latitude). Within a city (tens of km) the error is well under 1 %, far below
the accuracy of a reported location.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
"""Mean radius (IUGG); the sphere behind every metre/degree conversion here."""

METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180
"""Length of one degree of latitude, and of longitude at the equator."""


def metres_per_degree(latitude: float) -> tuple[float, float]:
    """Metres per degree of (longitude, latitude) at `latitude`."""
    return METRES_PER_DEGREE * math.cos(math.radians(latitude)), METRES_PER_DEGREE


def metres_to_degrees(metres: float, latitude: float) -> tuple[float, float]:
    """How many degrees of (longitude, latitude) span `metres` at `latitude`.

    Equirectangular approximation; meaningless at the poles, where a degree of
    longitude has no length.
    """
    per_lon, per_lat = metres_per_degree(latitude)
    return metres / per_lon, metres / per_lat


@dataclass(frozen=True, slots=True)
class Location:
    """The micro-grid a point was routed to.

    Exactly one of three cases holds:
    - inside: `code` set, `snapped` False, `distance_m` 0;
    - snapped: the point lies outside every micro-grid but within the caller's
      tolerance of `code`; `distance_m` is the distance to it;
    - outside: no micro-grid within tolerance; `code` None, `outside` True and
      `distance_m` infinite (nothing was found within reach).
    """

    code: str | None
    snapped: bool
    distance_m: float
    outside: bool

    def __post_init__(self) -> None:
        if self.outside:
            consistent = self.code is None and not self.snapped and self.distance_m == math.inf
        elif self.snapped:
            consistent = self.code is not None and 0 <= self.distance_m < math.inf
        else:
            consistent = self.code is not None and self.distance_m == 0
        if not consistent:
            raise ValueError(f"inconsistent location: {self!r}")

    @classmethod
    def inside(cls, code: str) -> Location:
        return cls(code=code, snapped=False, distance_m=0.0, outside=False)

    @classmethod
    def snapped_to(cls, code: str, distance_m: float) -> Location:
        return cls(code=code, snapped=True, distance_m=distance_m, outside=False)

    @classmethod
    def outside_jurisdiction(cls) -> Location:
        return cls(code=None, snapped=False, distance_m=math.inf, outside=True)
