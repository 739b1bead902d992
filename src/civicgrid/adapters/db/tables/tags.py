"""Area tags ("flood-risk", "has-underpass"): which units a directive may select by."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base


class AreaTagRow(Base):
    __tablename__ = "area_tags"

    # Tag first: a selection asks "which areas carry this tag", one index range.
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)
    area_id: Mapped[int] = mapped_column(
        ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True, index=True
    )
