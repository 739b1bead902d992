"""Every area's chain from the city, read once per areas version into memory.

Intake tells each new case's chain (an urgent one reaches every level of it), and
routes to any of some 48,000 micro-grids, so a cache filled one area at a time would
miss on most reports for hours. One query reads every area without its geometry
(about 60,000 rows, under a second) when the areas version moves; the areas change
rarely, and each change bumps the version.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import Engine, select

from civicgrid.adapters.db.area_repository import _parent_code
from civicgrid.adapters.db.tables import AreaAliasRow, AreaRow
from civicgrid.domain.areas import Area, AreaPath, Level
from civicgrid.domain.areas.area import path_codes
from civicgrid.services.ports import UnitOfWork

_AREAS = select(
    AreaRow.id,
    AreaRow.code,
    AreaRow.level,
    AreaRow.path,
    AreaRow.name_zh,
    AreaRow.name_en,
    AreaRow.households,
    AreaRow.synthetic,
    AreaRow.source,
)
_ALIASES = select(AreaAliasRow.alias_code, AreaAliasRow.area_id)


@dataclass(frozen=True, slots=True)
class _Directory:
    version: str
    by_code: dict[str, Area]  # aliases too
    by_path: dict[AreaPath, Area]


class PreloadedAreaChains:
    """Per process; shared by its threads."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._directory = _Directory("", {}, {})

    def chain(self, uow: UnitOfWork, code: str, *, version: str) -> list[Area] | None:
        directory = self._directory
        if directory.version != version:
            directory = self._reload(version)
        area = directory.by_code.get(code)
        if area is None:
            return None
        codes = path_codes(area.path)
        paths = ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes) - 1)]
        return [*(directory.by_path[p] for p in paths if p in directory.by_path), area]

    def _reload(self, version: str) -> _Directory:
        with self._lock:
            if self._directory.version != version:
                self._directory = self._read(version)
            return self._directory

    def _read(self, version: str) -> _Directory:
        with self._engine.connect() as connection:
            aliases: dict[int, list[str]] = {}
            for alias, area_id in connection.execute(_ALIASES):
                aliases.setdefault(area_id, []).append(alias)
            by_id = {
                row.id: Area(
                    code=row.code,
                    level=Level(row.level),
                    name_zh=row.name_zh,
                    name_en=row.name_en,
                    parent_code=_parent_code(row.path),
                    synthetic=row.synthetic,
                    households=row.households,
                    aliases=tuple(sorted(aliases.get(row.id, ()))),
                    source=row.source,
                    path=row.path,
                )
                for row in connection.execute(_AREAS)
            }
        by_code = {area.code: area for area in by_id.values()}
        for area_id, names in aliases.items():
            for alias in names:
                by_code.setdefault(alias, by_id[area_id])
        return _Directory(version, by_code, {area.path: area for area in by_id.values()})
