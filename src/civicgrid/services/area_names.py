"""Area names by path, kept in memory per areas version: every public answer names the
areas of its cases, and the areas change rarely (each change bumps the version)."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from civicgrid.domain.areas import AreaPath
from civicgrid.services.ports import UnitOfWork

Names = dict[AreaPath, tuple[str, str]]


class AreaNames:
    """Safe to share between threads; a race at most reads a name twice."""

    def __init__(self) -> None:
        self._version = ""
        self._names: dict[AreaPath, tuple[str, str] | None] = {}
        self._addresses: Names = {}
        self._lock = threading.Lock()

    def names(self, uow: UnitOfWork, paths: Iterable[AreaPath]) -> Names:
        """(name_zh, name_en) of each existing area among `paths`; `uow` is open."""
        self._follow(uow)
        return self._names_of(uow, set(paths))

    def addresses(self, uow: UnitOfWork, paths: Iterable[AreaPath]) -> Names:
        """Each path's address in both languages, most specific area first."""
        self._follow(uow)
        addresses = self._addresses
        wanted = set(paths)
        if missing := [path for path in wanted if path not in addresses]:
            names = self._names_of(uow, {a for path in missing for a in ancestor_paths(path)})
            for path in missing:
                found = [names[a] for a in reversed(ancestor_paths(path)) if a in names]
                addresses[path] = (", ".join(z for z, _ in found), ", ".join(e for _, e in found))
        return {path: addresses[path] for path in wanted}

    def _follow(self, uow: UnitOfWork) -> None:
        """Forget everything when the stored areas have changed."""
        version = uow.areas.version()
        with self._lock:
            if version != self._version:
                self._version, self._names, self._addresses = version, {}, {}

    def _names_of(self, uow: UnitOfWork, wanted: set[AreaPath]) -> Names:
        known = self._names
        if missing := [path for path in wanted if path not in known]:
            found = uow.citizens.area_names(missing)
            for path in missing:
                known[path] = found.get(path)
        return {path: names for path in wanted if (names := known.get(path)) is not None}


def ancestor_paths(path: AreaPath) -> list[AreaPath]:
    """The area's own path and each ancestor's, from the city down."""
    codes = [code for code in path.split("/") if code]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


SHARED = AreaNames()
"""One per process: every unit of work of a process sees the same stored areas."""
