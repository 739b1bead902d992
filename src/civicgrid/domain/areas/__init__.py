"""The five-level grid hierarchy under a city."""

from civicgrid.domain.areas.area import Area, AreaPath
from civicgrid.domain.areas.codes import child_code_length, level_of_code, validate_code
from civicgrid.domain.areas.levels import Level

__all__ = [
    "Area",
    "AreaPath",
    "Level",
    "child_code_length",
    "level_of_code",
    "validate_code",
]
