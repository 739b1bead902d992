"""The database server's clock: one clock for every process that shares the database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session


def database_now(session: Session) -> datetime:
    """The database's current time, aware UTC.

    PostgreSQL: statement_timestamp(), not now(), which stays at the transaction's start.
    SQLite has no server; its clock is the host's, read by SQLite itself to the millisecond.
    """
    if session.get_bind().dialect.name == "postgresql":
        at: datetime = session.execute(select(func.statement_timestamp())).scalar_one()
        return at.astimezone(UTC)
    text: str = session.execute(select(func.strftime("%Y-%m-%d %H:%M:%f", "now"))).scalar_one()
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
