"""How many cases each area holds in each status, kept exact by every case write."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base, path_type


class CaseCountRow(Base):
    """One area's cases in one status.

    A subtree's count is the sum over its areas' rows: a few thousand rows at most,
    where counting the cases themselves reads one index entry per case.
    """

    __tablename__ = "case_counts"

    area_path: Mapped[str] = mapped_column(path_type(), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
