"""The unit of work the 三标 use cases run in: the shared one, plus their repository."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from zoneinfo import ZoneInfo

from civicgrid.adapters.db.alert_repository import SqlAlertRepository
from civicgrid.adapters.db.sanbiao_repository import SqlSanbiaoRepository
from civicgrid.adapters.db.uow import SqlUnitOfWork
from civicgrid.adapters.indicator_limits import TreeCategoryLimits
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import AlertHistory, SanbiaoRepository


class SqlSanbiaoUnitOfWork(SqlUnitOfWork):
    sanbiao: SanbiaoRepository
    alerts: AlertHistory

    def __enter__(self) -> Self:
        entered = super().__enter__()
        self.sanbiao = SqlSanbiaoRepository(self.session)
        self.alerts = SqlAlertRepository(self.session)
        return entered


def sanbiao_context(rules: object, zone: str, now: datetime) -> Context:
    """A use case's context, with the case rules' limits so case indicators compute."""
    limits = TreeCategoryLimits.of(rules)
    return Context(now=now, zone=ZoneInfo(zone), case_limits=limits, case_clock=limits.calendar)
