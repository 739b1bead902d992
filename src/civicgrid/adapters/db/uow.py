"""The SQLAlchemy unit of work: one session, one transaction, repositories on it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from civicgrid.adapters.db.area_repository import SqlAreaRepository
from civicgrid.adapters.db.attachment_repository import SqlAttachmentRepository
from civicgrid.adapters.db.case_repository import SqlCaseRepository
from civicgrid.adapters.db.citizen_repository import SqlCitizenRepository
from civicgrid.adapters.db.directive_repository import SqlDirectiveRepository
from civicgrid.adapters.db.enterprise_repository import SqlEnterpriseRepository
from civicgrid.adapters.db.hotline_repository import SqlHotlineOrderRepository
from civicgrid.adapters.db.ledger_repository import SqlLedgerRepository
from civicgrid.adapters.db.notification_repository import (
    SqlLeaseRepository,
    SqlNotificationRepository,
)
from civicgrid.adapters.db.report_repository import SqlReportRepository
from civicgrid.adapters.db.tag_repository import SqlAreaTagRepository
from civicgrid.adapters.db.user_repository import SqlUserRepository
from civicgrid.services.attachment_ports import AttachmentRepository
from civicgrid.services.channel_ports import EnterpriseRepository, HotlineOrderRepository
from civicgrid.services.citizen_ports import CitizenRepository
from civicgrid.services.directive_ports import (
    AreaTagRepository,
    DirectiveRepository,
    LedgerRepository,
)
from civicgrid.services.ports import (
    AreaRepository,
    CaseRepository,
    LeaseRepository,
    NotificationRepository,
    UserRepository,
)
from civicgrid.services.report_ports import ReportRepository


class SqlUnitOfWork:
    areas: AreaRepository
    users: UserRepository
    cases: CaseRepository
    notifications: NotificationRepository
    leases: LeaseRepository
    attachments: AttachmentRepository
    citizens: CitizenRepository
    enterprises: EnterpriseRepository
    hotline_orders: HotlineOrderRepository
    directives: DirectiveRepository
    tags: AreaTagRepository
    ledger: LedgerRepository
    reports: ReportRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self.areas = SqlAreaRepository(self.session)
        self.users = SqlUserRepository(self.session)
        self.cases = SqlCaseRepository(self.session)
        self.notifications = SqlNotificationRepository(self.session)
        self.leases = SqlLeaseRepository(self.session)
        self.attachments = SqlAttachmentRepository(self.session)
        self.directives = SqlDirectiveRepository(self.session)
        self.tags = SqlAreaTagRepository(self.session)
        self.ledger = SqlLedgerRepository(self.session)
        self.reports = SqlReportRepository(self.session)
        self.citizens = SqlCitizenRepository(self.session)
        self.enterprises = SqlEnterpriseRepository(self.session)
        self.hotline_orders = SqlHotlineOrderRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Anything not committed explicitly is rolled back.
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def refresh_statistics(self) -> None:
        """After a bulk load: fresh planner statistics, and on PostgreSQL a visibility
        map, so subtree counts run as index-only scans even where autovacuum is off."""
        engine = self._session_factory.kw["bind"]
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                connection.execute(text("VACUUM (ANALYZE) areas, area_aliases"))
            else:
                connection.execute(text("ANALYZE"))
                connection.commit()
