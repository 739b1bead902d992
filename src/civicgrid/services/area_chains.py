"""The chain of areas from the city down to an area, kept in memory per areas version.

Every report routes to a micro-grid and tells its chain (信息直报 reaches every level
of it). The areas change rarely and each change bumps the stored areas version, so a
process keeps what it has read until the version moves, as the locator does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from civicgrid.domain.areas import Area, AreaPath
from civicgrid.domain.areas.area import path_codes
from civicgrid.services.ports import UnitOfWork


@dataclass
class _Known:
    version: str
    by_code: dict[str, Area] = field(default_factory=dict)
    by_path: dict[AreaPath, Area] = field(default_factory=dict)


class AreaChainProvider(Protocol):
    def chain(self, uow: UnitOfWork, code: str, *, version: str) -> list[Area] | None:
        """[city, …, the area with `code` (or alias)]; None when no such area exists.

        `version` is the areas version `uow` sees; the caller holds `uow` open.
        """


class AreaChains:
    """Reads what it has not seen yet through the unit of work and keeps it; safe to
    share between threads (a race only reads twice)."""

    def __init__(self) -> None:
        self._known = _Known(version="")

    def chain(self, uow: UnitOfWork, code: str, *, version: str) -> list[Area] | None:
        """[city, …, the area with `code` (or alias)]; None when no such area exists.

        `version` is the areas version `uow` sees; the caller holds `uow` open.
        """
        known = self._known
        if known.version != version:
            known = self._known = _Known(version=version)
        area = known.by_code.get(code)
        if area is None:
            area = uow.areas.get(code, with_geometry=False)
            if area is None:
                return None
            known.by_code[code] = area
            known.by_path[area.path] = area
        paths = _ancestor_paths(area.path)
        if missing := [path for path in paths if path not in known.by_path]:
            for found in uow.areas.get_by_path(missing):
                known.by_path[found.path] = found
        return [*(known.by_path[path] for path in paths if path in known.by_path), area]


def _ancestor_paths(path: AreaPath) -> list[AreaPath]:
    codes = path_codes(path)[:-1]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
