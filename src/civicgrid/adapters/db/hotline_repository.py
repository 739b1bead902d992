"""12345 orders already imported, keyed by the hotline's order id."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables import CaseRow, HotlineOrderRow
from civicgrid.domain.areas import Level
from civicgrid.domain.errors import Conflict
from civicgrid.services.channel_ports import HotlineRecord, ImportedOrder


class SqlHotlineOrderRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def find(self, order_id: str) -> ImportedOrder | None:
        found = self._session.execute(
            select(HotlineOrderRow.case_id, CaseRow.area_code, HotlineOrderRow.located_level)
            .join(CaseRow, CaseRow.id == HotlineOrderRow.case_id)
            .where(HotlineOrderRow.order_id == order_id)
        ).one_or_none()
        if found is None:
            return None
        case_id, area_code, level = found
        return ImportedOrder(case_id=case_id, area_code=area_code, located_level=Level(level))

    def record(self, record: HotlineRecord) -> None:
        row = HotlineOrderRow(
            order_id=record.order_id,
            case_id=record.case_id,
            located_level=int(record.located_level),
            received_at=record.received_at,
            imported_at=record.imported_at,
            source_file=record.source_file[:300],
        )
        self._session.add(row)
        try:
            self._session.flush()
        except IntegrityError as exc:  # a concurrent import; the unit of work rolls back
            raise Conflict(
                f"order {record.order_id} was imported at the same moment by another run",
                field="order_id",
            ) from exc
