"""Sensor registers from CSV or GeoJSON.

CSV columns: id, type, lon, lat, department, and optionally gateway, name, synthetic;
any column named attr.<name> is a numeric attribute (a per-sensor threshold).
GeoJSON: Point features whose properties hold the same fields (attributes under
"attributes" or as attr.<name>).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from civicgrid.domain.errors import InvalidInput
from civicgrid.services.sensors import SensorDraft

_TRUE = {"1", "true", "yes", "y"}


def read_sensor_file(path: Path) -> list[SensorDraft]:
    text = path.read_text("utf-8-sig")
    if path.suffix.lower() in {".geojson", ".json"}:
        return parse_geojson(text)
    return parse_csv(text)


def parse_csv(text: str) -> list[SensorDraft]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"id", "type", "lon", "lat", "department"} - set(reader.fieldnames or [])
    if missing:
        raise InvalidInput(f"the CSV lacks the column(s) {', '.join(sorted(missing))}")
    return [
        _draft(row, (_number(row["lon"]), _number(row["lat"])), n + 2)
        for n, row in enumerate(reader)
    ]


def parse_geojson(text: str) -> list[SensorDraft]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not valid GeoJSON: {exc}") from None
    drafts = []
    for n, feature in enumerate(data.get("features", []) if isinstance(data, dict) else []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            raise InvalidInput(f"feature {n}: a sensor is a Point")
        lon, lat = geometry["coordinates"][:2]
        properties = dict(feature.get("properties") or {})
        for name, value in (properties.pop("attributes", None) or {}).items():
            properties[f"attr.{name}"] = value
        drafts.append(_draft(properties, (float(lon), float(lat)), n))
    return drafts


def _number(text: str | None) -> float:
    """NaN for a blank or broken coordinate: registration rejects the row by name."""
    try:
        return float(text or "nan")
    except ValueError:
        return float("nan")


def _draft(row: Mapping[str, Any], where: tuple[float, float], line: int) -> SensorDraft:
    attributes = {}
    for key, value in row.items():
        if key and key.startswith("attr.") and value not in (None, ""):
            try:
                attributes[key[5:]] = float(value)
            except ValueError:
                raise InvalidInput(
                    f"row {line}: attribute {key[5:]} is not a number: {value!r}"
                ) from None
    return SensorDraft(
        id=str(row.get("id") or "").strip(),
        type=str(row.get("type") or "").strip(),
        lon=where[0],
        lat=where[1],
        department=str(row.get("department") or "").strip(),
        gateway=str(row.get("gateway") or "").strip() or None,
        attributes=attributes,
        name=str(row.get("name") or ""),
        synthetic=str(row.get("synthetic") or "").strip().lower() in _TRUE,
    )
