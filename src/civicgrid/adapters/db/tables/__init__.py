"""Table mappings. Importing this package registers every table on Base.metadata."""

from civicgrid.adapters.db.tables.areas import AreaAliasRow, AreaRow, MetaRow
from civicgrid.adapters.db.tables.users import ApiTokenRow, RoleGrantRow, UserRow

__all__ = ["ApiTokenRow", "AreaAliasRow", "AreaRow", "MetaRow", "RoleGrantRow", "UserRow"]
