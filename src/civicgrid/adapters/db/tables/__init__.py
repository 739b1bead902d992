"""Table mappings. Importing this package registers every table on Base.metadata."""

from civicgrid.adapters.db.tables.areas import AreaAliasRow, AreaRow, MetaRow
from civicgrid.adapters.db.tables.attachments import AttachmentRow, CaseAttachmentRow
from civicgrid.adapters.db.tables.cases import (
    CaseEventRow,
    CaseRow,
    LeaseRow,
    NotificationReadRow,
    NotificationRow,
    ReporterContactRow,
)
from civicgrid.adapters.db.tables.users import ApiTokenRow, RoleGrantRow, UserRow

__all__ = [
    "ApiTokenRow",
    "AreaAliasRow",
    "AreaRow",
    "AttachmentRow",
    "CaseAttachmentRow",
    "CaseEventRow",
    "CaseRow",
    "LeaseRow",
    "MetaRow",
    "NotificationReadRow",
    "NotificationRow",
    "ReporterContactRow",
    "RoleGrantRow",
    "UserRow",
]
