"""Area files: GeoJSON and CSV in, GeoJSON out. Bad input raises ImportRejected only."""

from __future__ import annotations

from pathlib import Path

from civicgrid.adapters.files.area_csv import read_areas_csv
from civicgrid.adapters.files.area_geojson import (
    dump_geojson,
    read_areas_geojson,
    write_areas_geojson,
)
from civicgrid.domain.areas.area import Area
from civicgrid.domain.areas.problems import ImportRejected, Problem

__all__ = [
    "dump_geojson",
    "read_areas_csv",
    "read_areas_file",
    "read_areas_geojson",
    "write_areas_geojson",
]

_READERS = {
    ".geojson": read_areas_geojson,
    ".json": read_areas_geojson,
    ".csv": read_areas_csv,
}


def read_areas_file(path: Path) -> list[Area]:
    """Read areas by file suffix. OSError (missing, unreadable file) is left to the caller."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        got = repr(path.suffix) if path.suffix else "a file without a suffix"
        problem = Problem("file", None, f"cannot read {got}; expected .geojson, .json or .csv")
        raise ImportRejected([problem], source_name=path.name)
    # The name, not the full path: it becomes each area's `source`.
    return reader(path.read_bytes(), source_name=path.name)
