"""12345 hotline work orders that became cases, keyed by the hotline's own order id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base, UTCDateTime


class HotlineOrderRow(Base):
    __tablename__ = "hotline_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A second import of the same order finds this row and creates nothing.
    order_id: Mapped[str] = mapped_column(String(100), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), unique=True)
    located_level: Mapped[int] = mapped_column(SmallInteger)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source_file: Mapped[str] = mapped_column(String(300), default="")
