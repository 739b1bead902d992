"""The 12345 citizen hotline: work orders read from exports, placed by address."""

from civicgrid.domain.hotline.address import AddressIndex, Placed, PlaceName, name_forms
from civicgrid.domain.hotline.orders import Cell, HotlineMapping, HotlineOrder, read_order

__all__ = [
    "AddressIndex",
    "Cell",
    "HotlineMapping",
    "HotlineOrder",
    "PlaceName",
    "Placed",
    "name_forms",
    "read_order",
]
