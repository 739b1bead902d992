"""Placing an address written in words among the named areas of a subtree."""

from __future__ import annotations

from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.hotline.address import PLACED_LEVELS, AddressIndex, PlaceName
from civicgrid.services.ports import UnitOfWork

_BATCH = 5000


def load_address_index(uow: UnitOfWork, root: AreaPath) -> AddressIndex:
    """The district, street and community names below `root`; call inside the unit of work."""
    places: list[PlaceName] = []
    for level in sorted(PLACED_LEVELS):
        offset = 0
        while True:
            page = uow.areas.subtree(
                root, level=Level(level), offset=offset, limit=_BATCH, with_geometry=False
            )
            places += [PlaceName(a.code, a.level, a.path, a.name_zh) for a in page.items]
            offset += _BATCH
            if offset >= page.count:
                break
    return AddressIndex(places)
