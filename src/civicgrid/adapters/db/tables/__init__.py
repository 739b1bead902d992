"""Table mappings. Importing this package registers every table on Base.metadata."""

from civicgrid.adapters.db.tables import sanbiao as sanbiao  # registers the 三标 tables
from civicgrid.adapters.db.tables.admin import (
    AlertRulesRow,
    CalendarOverrideRow,
    CategoryOverrideRow,
    CategoryTreeRow,
)
from civicgrid.adapters.db.tables.areas import AreaAliasRow, AreaRow, MetaRow
from civicgrid.adapters.db.tables.attachments import AttachmentRow, CaseAttachmentRow
from civicgrid.adapters.db.tables.case_counts import CaseCountRow
from civicgrid.adapters.db.tables.cases import (
    CaseEventRow,
    CaseRow,
    LeaseRow,
    NotificationReadRow,
    NotificationRow,
    ReporterContactRow,
)
from civicgrid.adapters.db.tables.citizens import (
    CitizenReportRow,
    Open311ApiKeyRow,
    Open311QueuedRow,
)
from civicgrid.adapters.db.tables.directives import DirectiveRow, DirectiveVersionRow, ReceiptRow
from civicgrid.adapters.db.tables.enterprises import (
    EnterpriseHistoryRow,
    EnterpriseRequestRow,
    EnterpriseRow,
)
from civicgrid.adapters.db.tables.hotline import HotlineOrderRow
from civicgrid.adapters.db.tables.ledger import LedgerEntryRow
from civicgrid.adapters.db.tables.reports import (
    ReportReminderRow,
    ReportTemplateRow,
    SubmissionRow,
    UrgentDeliveryRow,
    UrgentReportRow,
)
from civicgrid.adapters.db.tables.sensors import (
    AlertCommentRow,
    AlertRow,
    DeviceTokenRow,
    EngineSnapshotRow,
    IngestBatchRow,
    ReadingChunkRow,
    SensorRow,
    SilenceRow,
)
from civicgrid.adapters.db.tables.tags import AreaTagRow
from civicgrid.adapters.db.tables.users import ApiTokenRow, RoleGrantRow, UserRow, WebSessionRow

__all__ = [
    "AlertCommentRow",
    "AlertRow",
    "AlertRulesRow",
    "ApiTokenRow",
    "AreaAliasRow",
    "AreaRow",
    "AreaTagRow",
    "AttachmentRow",
    "CalendarOverrideRow",
    "CaseAttachmentRow",
    "CaseCountRow",
    "CaseEventRow",
    "CaseRow",
    "CategoryOverrideRow",
    "CategoryTreeRow",
    "CitizenReportRow",
    "DeviceTokenRow",
    "DirectiveRow",
    "DirectiveVersionRow",
    "EngineSnapshotRow",
    "EnterpriseHistoryRow",
    "EnterpriseRequestRow",
    "EnterpriseRow",
    "HotlineOrderRow",
    "IngestBatchRow",
    "LeaseRow",
    "LedgerEntryRow",
    "MetaRow",
    "NotificationReadRow",
    "NotificationRow",
    "Open311ApiKeyRow",
    "Open311QueuedRow",
    "ReadingChunkRow",
    "ReceiptRow",
    "ReportReminderRow",
    "ReportTemplateRow",
    "ReporterContactRow",
    "RoleGrantRow",
    "SensorRow",
    "SilenceRow",
    "SubmissionRow",
    "UrgentDeliveryRow",
    "UrgentReportRow",
    "UserRow",
    "WebSessionRow",
]
