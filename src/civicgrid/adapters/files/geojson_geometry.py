"""Polygon and MultiPolygon geometries read from untrusted GeoJSON, every position checked.

A geometry is WGS84 lon/lat; one that is malformed, out of range, empty or invalid
becomes a problem on its feature rather than an exception.
"""

from __future__ import annotations

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from civicgrid.domain.areas.problems import ProblemLog


class _GeometryError(Exception):
    """Stops reading one geometry; never leaves this module."""


def read_geometry(raw: object, where: str, log: ProblemLog) -> BaseGeometry | None:
    """The feature's (Multi)Polygon, or None with its problem in `log` (or with no geometry)."""
    if raw is None:
        return None  # an area may have no polygon yet
    reader = _GeometryReader()
    try:
        geometry = reader.read(raw)
    except _GeometryError as error:
        log.add(where, "geometry", str(error))
        return None
    if reader.out_of_range:
        log.add(where, "geometry", reader.range_message())
        return None
    if geometry.is_empty:
        log.add(where, "geometry", "geometry is empty")
        return None
    if not shapely.is_valid(geometry):
        log.add(where, "geometry", f"invalid geometry: {shapely.is_valid_reason(geometry)}")
        return None
    return geometry


class _GeometryReader:
    """Builds a (Multi)Polygon from untrusted GeoJSON, checking every position."""

    def __init__(self) -> None:
        self.out_of_range = 0
        self._first_out = ""

    def read(self, raw: object) -> BaseGeometry:
        if not isinstance(raw, dict):
            raise _GeometryError(f"must be an object or null, got {json_type(raw)}")
        kind, coordinates = raw.get("type"), raw.get("coordinates")
        if kind == "Polygon":
            return self._polygon(coordinates, "")
        if kind == "MultiPolygon":
            parts = _array(coordinates, "coordinates")
            polygons = [self._polygon(part, f"polygon {i}, ") for i, part in enumerate(parts, 1)]
            for number, polygon in enumerate(polygons, start=1):
                if polygon.is_empty:
                    raise _GeometryError(f"polygon {number} has no rings")
            return MultiPolygon(polygons)
        got = repr(kind[:40]) if isinstance(kind, str) else json_type(kind)
        raise _GeometryError(f"geometry type must be Polygon or MultiPolygon, got {got}")

    def _polygon(self, raw: object, prefix: str) -> Polygon:
        rings = [
            self._ring(ring, f"{prefix}ring {number}")
            for number, ring in enumerate(_array(raw, prefix[:-2] or "coordinates"), start=1)
        ]
        return Polygon(rings[0], rings[1:]) if rings else Polygon()

    def _ring(self, raw: object, path: str) -> list[tuple[float, float]]:
        points = [
            self._position(position, f"{path}, position {number}")
            for number, position in enumerate(_array(raw, path), start=1)
        ]
        if len(points) < 4:
            raise _GeometryError(f"{path} has {len(points)} positions; a ring needs at least 4")
        if points[0] != points[-1]:
            raise _GeometryError(f"{path} is not closed: its last position differs from its first")
        return points

    def _position(self, raw: object, path: str) -> tuple[float, float]:
        if not isinstance(raw, list) or len(raw) < 2 or not all(map(_is_number, raw[:2])):
            raise _GeometryError(f"{path} must be [longitude, latitude], got {json_type(raw)}")
        lon, lat = float(raw[0]), float(raw[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            self.out_of_range += 1
            self._first_out = self._first_out or f"{path} is ({lon!r}, {lat!r})"
        return lon, lat

    def range_message(self) -> str:
        more = f" (and {self.out_of_range - 1} more)" if self.out_of_range > 1 else ""
        return (
            f"{self._first_out}{more}, outside WGS84 lon [-180, 180] / lat [-90, 90]; "
            "coordinates must be WGS84 longitude, latitude"
        )


def _array(raw: object, path: str) -> list[object]:
    if not isinstance(raw, list):
        raise _GeometryError(f"{path} must be an array, got {json_type(raw)}")
    return raw


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def json_type(value: object) -> str:
    """A JSON value as a problem message names it (area_geojson uses it too)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value!r}" if abs(value) < 1e15 else "a number"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    return "an array" if isinstance(value, list) else "an object"
