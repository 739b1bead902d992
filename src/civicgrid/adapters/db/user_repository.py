"""Users, grants, API tokens and web sessions on SQLAlchemy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, select, update
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables import ApiTokenRow, AreaRow, RoleGrantRow, UserRow, WebSessionRow
from civicgrid.domain.access import Grant, Role
from civicgrid.services.ports import StoredUser

_HOLDER_COLUMNS = (
    UserRow.id,
    UserRow.username,
    UserRow.display_name,
    UserRow.password_hash,
    UserRow.active,
    RoleGrantRow.role,
    AreaRow.code,
    AreaRow.path,
    RoleGrantRow.department,
)
_TOKEN_HOLDER = (
    select(*_HOLDER_COLUMNS)
    .select_from(ApiTokenRow)
    .join(UserRow, UserRow.id == ApiTokenRow.user_id)
    .outerjoin(RoleGrantRow, RoleGrantRow.user_id == UserRow.id)
    .outerjoin(AreaRow, AreaRow.id == RoleGrantRow.area_id)
    .where(ApiTokenRow.digest == bindparam("digest"), ApiTokenRow.revoked_at.is_(None))
    .order_by(RoleGrantRow.id)
)
_SESSION_HOLDER = (
    select(*_HOLDER_COLUMNS)
    .select_from(WebSessionRow)
    .join(UserRow, UserRow.id == WebSessionRow.user_id)
    .outerjoin(RoleGrantRow, RoleGrantRow.user_id == UserRow.id)
    .outerjoin(AreaRow, AreaRow.id == RoleGrantRow.area_id)
    .where(
        WebSessionRow.digest == bindparam("digest"),
        WebSessionRow.ended_at.is_(None),
        WebSessionRow.expires_at > bindparam("now"),
    )
    .order_by(RoleGrantRow.id)
)


def _stored(row: UserRow) -> StoredUser:
    return StoredUser(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        password_hash=row.password_hash,
        active=row.active,
    )


class SqlUserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get_by_username(self, username: str) -> StoredUser | None:
        row = self._session.execute(
            select(UserRow).where(UserRow.username == username)
        ).scalar_one_or_none()
        return None if row is None else _stored(row)

    def get(self, user_id: int) -> StoredUser | None:
        row = self._session.get(UserRow, user_id)
        return None if row is None else _stored(row)

    def add(self, username: str, display_name: str, password_hash: str, now: datetime) -> int:
        row = UserRow(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            active=True,
            created_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._session.execute(
            update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
        )

    def grants(self, user_id: int) -> list[Grant]:
        stmt = (
            select(RoleGrantRow.role, AreaRow.code, AreaRow.path, RoleGrantRow.department)
            .join(AreaRow, AreaRow.id == RoleGrantRow.area_id)
            .where(RoleGrantRow.user_id == user_id)
            .order_by(RoleGrantRow.id)
        )
        return [
            Grant(role=Role(role), area_code=code, area_path=path, department=department)
            for role, code, path, department in self._session.execute(stmt)
        ]

    def add_grant(self, user_id: int, grant: Grant, now: datetime) -> bool:
        if grant in self.grants(user_id):
            return False
        area_id = self._session.execute(
            select(AreaRow.id).where(AreaRow.code == grant.area_code)
        ).scalar_one()
        self._session.add(
            RoleGrantRow(
                user_id=user_id,
                role=grant.role.value,
                area_id=area_id,
                department=grant.department,
                created_at=now,
            )
        )
        self._session.flush()
        return True

    def revoke_grant(self, user_id: int, grant: Grant) -> bool:
        area_ids = select(AreaRow.id).where(AreaRow.code == grant.area_code)
        result = self._session.execute(
            delete(RoleGrantRow).where(
                RoleGrantRow.user_id == user_id,
                RoleGrantRow.role == grant.role.value,
                RoleGrantRow.department == grant.department,
                RoleGrantRow.area_id.in_(area_ids),
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def granted_at(self, area_code: str) -> list[tuple[StoredUser, Grant]]:
        stmt = (
            select(UserRow, RoleGrantRow.role, AreaRow.path, RoleGrantRow.department)
            .join(RoleGrantRow, RoleGrantRow.user_id == UserRow.id)
            .join(AreaRow, AreaRow.id == RoleGrantRow.area_id)
            .where(AreaRow.code == area_code, UserRow.active.is_(True))
            .order_by(UserRow.username, RoleGrantRow.id)
        )
        return [
            (_stored(user), Grant(Role(role), area_code, path, department))
            for user, role, path, department in self._session.execute(stmt)
        ]

    def add_token(self, user_id: int, name: str, digest: str, now: datetime) -> int:
        row = ApiTokenRow(user_id=user_id, name=name, digest=digest, created_at=now)
        self._session.add(row)
        self._session.flush()
        return row.id

    def user_id_for_token(self, digest: str) -> int | None:
        stmt = select(ApiTokenRow.user_id).where(
            ApiTokenRow.digest == digest, ApiTokenRow.revoked_at.is_(None)
        )
        return self._session.execute(stmt).scalar_one_or_none()

    def token_holder(self, digest: str) -> tuple[StoredUser, list[Grant]] | None:
        """The user of a live token with their grants, in one query: every API request
        authenticates, so this is one round trip rather than three."""
        rows = self._session.connection().execute(_TOKEN_HOLDER, {"digest": digest}).all()
        return _holder(rows)

    def revoke_token(self, user_id: int, name: str, now: datetime) -> bool:
        result = self._session.execute(
            update(ApiTokenRow)
            .where(
                ApiTokenRow.user_id == user_id,
                ApiTokenRow.name == name,
                ApiTokenRow.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def add_session(self, user_id: int, digest: str, now: datetime, expires_at: datetime) -> None:
        self._session.add(
            WebSessionRow(user_id=user_id, digest=digest, created_at=now, expires_at=expires_at)
        )
        self._session.flush()

    def session_holder(self, digest: str, now: datetime) -> tuple[StoredUser, list[Grant]] | None:
        rows = (
            self._session.connection()
            .execute(_SESSION_HOLDER, {"digest": digest, "now": now})
            .all()
        )
        return _holder(rows)

    def end_session(self, digest: str, now: datetime) -> bool:
        result = self._session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.digest == digest, WebSessionRow.ended_at.is_(None))
            .values(ended_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def end_sessions_of(self, user_id: int, now: datetime) -> int:
        result = self._session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.user_id == user_id, WebSessionRow.ended_at.is_(None))
            .values(ended_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


def _holder(rows: Sequence[Row[*tuple[Any, ...]]]) -> tuple[StoredUser, list[Grant]] | None:
    """The user and grants of rows shaped like `_HOLDER_COLUMNS`, one row per grant."""
    if not rows:
        return None
    first = rows[0]
    user = StoredUser(
        id=first.id,
        username=first.username,
        display_name=first.display_name,
        password_hash=first.password_hash,
        active=first.active,
    )
    grants = [
        Grant(role=Role(r.role), area_code=r.code, area_path=r.path, department=r.department)
        for r in rows
        if r.role is not None
    ]
    return user, grants
