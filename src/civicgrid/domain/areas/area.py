"""The Area record and its materialized path."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry

from civicgrid.domain.areas.levels import Level

AreaPath = str
"""Materialized path: "/" + the codes from the city down, each followed by "/"."""


def child_path(parent_path: AreaPath | None, code: str) -> AreaPath:
    return f"{parent_path or '/'}{code}/"


def path_codes(path: AreaPath) -> list[str]:
    return [part for part in path.split("/") if part]


def is_within(path: AreaPath, scope: AreaPath) -> bool:
    """True when `path` is `scope` itself or lies below it."""
    return path.startswith(scope)


@dataclass(frozen=True, slots=True)
class Area:
    code: str
    level: Level
    name_zh: str
    name_en: str
    parent_code: str | None = None
    geometry: BaseGeometry | None = None
    synthetic: bool = False
    households: int | None = None
    aliases: tuple[str, ...] = field(default=())
    source: str = ""
    path: AreaPath = ""  # set once the area is placed in a stored hierarchy
