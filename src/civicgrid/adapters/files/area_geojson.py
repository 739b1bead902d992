"""Areas as a GeoJSON FeatureCollection in WGS84 lon/lat.

Reading accepts our own exports and common third-party ones (DataV/Amap style:
integer `adcode`, `name`). Features are counted from 1 in problem locations.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import mapping

from civicgrid.adapters.files.geojson_geometry import json_type, read_geometry
from civicgrid.domain.areas.area import Area
from civicgrid.domain.areas.problems import ProblemLog

_DECIMALS = 7  # about 1 cm; more digits only bloat the file
_MAX_INT_DIGITS = 30  # no legitimate value is longer; keeps int() cheap on hostile input
_WGS84_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
}


def read_areas_geojson(data: bytes, *, source_name: str) -> list[Area]:
    """Parse a FeatureCollection; raise ImportRejected listing every problem."""
    log = ProblemLog(source_name)
    features = _features(_load_json(data, log), log)
    areas = [
        area
        for number, feature in enumerate(features, start=1)
        if (area := _read_feature(feature, f"feature {number}", log)) is not None
    ]
    log.raise_if_any()
    return areas


def write_areas_geojson(areas: Iterable[Area]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [_feature(area) for area in areas]}


def dump_geojson(obj: Mapping[str, Any]) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _feature(area: Area) -> dict[str, Any]:
    geometry = None
    # An empty polygon would not read back; "no polygon" is what it means.
    if area.geometry is not None and not area.geometry.is_empty:
        geometry = mapping(shapely.transform(area.geometry, _round))
    properties = {
        "code": area.code,
        "parent_code": area.parent_code,
        "level": area.level.slug,
        "level_zh": area.level.name_zh,
        "name_zh": area.name_zh,
        "name_en": area.name_en,
        "households": area.households,
        "synthetic": area.synthetic,
        "aliases": list(area.aliases),
        "source": area.source,
    }
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _round(coordinates: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.round(coordinates, _DECIMALS)


def _load_json(data: bytes, log: ProblemLog) -> object:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # utf-8-sig counts from after the BOM; count from the file start instead.
        offset = error.start + len(data) - len(error.object)
        line = data.count(b"\n", 0, offset) + 1
        log.add(f"line {line}", None, f"not UTF-8 text (byte {data[offset]:#04x})")
        return None
    try:
        return json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_no_constant
        )
    except json.JSONDecodeError as error:
        log.add(f"line {error.lineno}, column {error.colno}", None, f"not JSON: {error.msg}")
    except ValueError as error:
        log.add("file", None, f"not JSON: {error}")
    except RecursionError:
        log.add("file", None, "not JSON we can read: nested too deeply")
    return None


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise ValueError(f"number {text[:20]}... has too many digits")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed")


def _features(document: object, log: ProblemLog) -> list[object]:
    if document is None:
        return []  # already noted
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        log.add("file", "type", f"expected a GeoJSON FeatureCollection, got {_describe(document)}")
        return []
    _check_crs(document.get("crs"), log)
    features = document.get("features")
    if not isinstance(features, list):
        log.add("file", "features", f"must be an array, got {json_type(features)}")
        return []
    return features


def _check_crs(crs: object, log: ProblemLog) -> None:
    # RFC 7946 dropped `crs`, but older exports still declare a projected one.
    if not isinstance(crs, dict) or not isinstance(crs.get("properties"), dict):
        return
    name = crs["properties"].get("name")
    if isinstance(name, str) and name not in _WGS84_NAMES:
        log.add("file", "crs", f"coordinates must be WGS84 lon/lat, but the file declares {name}")


def _read_feature(feature: object, where: str, log: ProblemLog) -> Area | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        log.add(where, None, f"expected a Feature, got {_describe(feature)}")
        return None
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        log.add(where, "properties", f"must be an object, got {json_type(properties)}")
        return None
    before = len(log)
    props = _Properties(properties, where, log)
    code = props.code("code", "adcode", required=True)
    parent_code = props.code("parent_code")
    name_zh = props.text("name_zh", "name", required=True)
    name_en = props.text("name_en") or ""
    households = props.households()
    synthetic = props.boolean("synthetic")
    aliases = props.aliases()
    source = props.text("source") or log.source_name
    geometry = read_geometry(feature.get("geometry"), where, log)
    if code is None:
        return None
    checked = log.check_code(where, code, parent_code)
    if checked is None or name_zh is None or len(log) > before:
        return None
    return Area(
        code=code,
        level=checked[0],
        name_zh=name_zh,
        name_en=name_en,
        parent_code=checked[1],
        geometry=geometry,
        synthetic=synthetic,
        households=households,
        aliases=aliases,
        source=source,
    )


class _Properties:
    """Typed access to one feature's properties; wrong types become problems."""

    def __init__(self, raw: dict[str, object], where: str, log: ProblemLog) -> None:
        self._raw, self._where, self._log = raw, where, log

    def _wrong(self, name: str, expected: str, value: object) -> None:
        self._log.add(self._where, name, f"must be {expected}, got {json_type(value)}")

    def _given(self, names: tuple[str, ...], required: bool) -> tuple[str, object]:
        """The first of `names` holding a value; null and "" count as absent."""
        for name in names:
            value = self._raw.get(name)
            if value is not None and not (isinstance(value, str) and not value.strip()):
                return name, value
        if required:
            also = f" (or {', '.join(names[1:])})" if len(names) > 1 else ""
            self._log.add(self._where, names[0], f"{names[0]}{also} is required")
        return names[0], None

    def code(self, *names: str, required: bool = False) -> str | None:
        name, value = self._given(names, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self._wrong(name, "a string or an integer", value)
            return None
        return str(value).strip()

    def text(self, *names: str, required: bool = False) -> str | None:
        name, value = self._given(names, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self._wrong(name, "a string", value)
            return None
        if not _is_utf8(value):
            self._log.add(self._where, name, f"{name} contains an unpaired surrogate escape")
            return None
        return value.strip()

    def households(self) -> int | None:
        value = self._raw.get("households")
        if value is None:
            return None
        # 120.0 is what pandas writes for an integer column with gaps.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong("households", "a whole number", value)
            return None
        return self._log.check_households(self._where, value)

    def boolean(self, name: str) -> bool:
        value = self._raw.get(name)
        if value is None or isinstance(value, bool):
            return bool(value)
        self._wrong(name, "true or false", value)
        return False

    def aliases(self) -> tuple[str, ...]:
        value = self._raw.get("aliases")
        if value is None:
            return ()
        if not isinstance(value, list) or not all(map(_is_utf8, value)):
            self._wrong("aliases", "an array of strings", value)
            return ()
        return tuple(dict.fromkeys(item.strip() for item in value if item.strip()))


def _is_utf8(value: object) -> bool:
    # JSON may spell a lone surrogate ("\ud800"), which no database will store.
    if not isinstance(value, str):
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _describe(value: object) -> str:
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return f"a {value['type'][:40]!r} object"
    return json_type(value)
