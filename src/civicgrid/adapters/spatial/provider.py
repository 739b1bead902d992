"""Keeps one locator per process, rebuilt when the stored areas change."""

from __future__ import annotations

import threading

from civicgrid.adapters.spatial.locator import Locator
from civicgrid.domain.areas import Level
from civicgrid.services.ports import UnitOfWork


class CachedLocatorProvider:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locator: Locator | None = None

    def current(self, uow: UnitOfWork) -> Locator:
        version = uow.areas.version()
        locator = self._locator
        if locator is not None and locator.version == version:
            return locator
        with self._lock:
            if self._locator is None or self._locator.version != version:
                codes, geometries = uow.areas.level_geometries(Level.MICRO_GRID)
                self._locator = Locator(codes, geometries, version=version)
            return self._locator
