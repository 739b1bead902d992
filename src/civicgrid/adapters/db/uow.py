"""The SQLAlchemy unit of work: one session, one transaction, repositories on it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from civicgrid.adapters.db.area_repository import SqlAreaRepository
from civicgrid.adapters.db.user_repository import SqlUserRepository
from civicgrid.services.ports import AreaRepository, UserRepository


class SqlUnitOfWork:
    areas: AreaRepository
    users: UserRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self.areas = SqlAreaRepository(self.session)
        self.users = SqlUserRepository(self.session)
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
