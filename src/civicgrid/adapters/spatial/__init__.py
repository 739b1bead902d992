"""In-memory spatial lookups over area polygons."""

from civicgrid.adapters.spatial.locator import Locator

__all__ = ["Locator"]
