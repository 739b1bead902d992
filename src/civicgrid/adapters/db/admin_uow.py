"""The unit of work the administration use cases run in: the shared one, plus theirs."""

from __future__ import annotations

from typing import Self

from civicgrid.adapters.db.admin_repository import SqlAdminRepository
from civicgrid.adapters.db.uow import SqlUnitOfWork
from civicgrid.services.admin_ports import AdminRepository


class SqlAdminUnitOfWork(SqlUnitOfWork):
    admin: AdminRepository

    def __enter__(self) -> Self:
        entered = super().__enter__()
        self.admin = SqlAdminRepository(self.session)
        return entered
