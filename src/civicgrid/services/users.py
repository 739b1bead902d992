"""Users, role grants and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from civicgrid.domain.access import Action, Grant, Principal, Role, authorize
from civicgrid.domain.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from civicgrid.services.ports import StoredUser, UnitOfWork

_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "cg_"  # noqa: S105 - a visible prefix so leaked tokens are recognisable


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class IssuedToken:
    name: str
    token: str  # shown once; only its digest is stored


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    username: str,
    password: str,
    *,
    now: datetime,
    display_name: str = "",
) -> int:
    if not _USERNAME.match(username):
        raise InvalidInput("username must be 3-64 letters, digits or . _ @ -", field="username")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password must have at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    with uow:
        if uow.users.get_by_username(username) is not None:
            raise Conflict(f"user {username} exists already", field="username")
        user_id = uow.users.add(username, display_name, hasher.hash(password), now)
        uow.commit()
    return user_id


def grant_role(
    uow: UnitOfWork,
    username: str,
    role: Role,
    area_code: str,
    *,
    now: datetime,
    department: str = "",
    actor: Principal | None = None,
) -> Grant:
    """Attach `role` at `area_code`. `actor` None means the local operator."""
    if role is Role.DEPARTMENT_HANDLER and not department.strip():
        raise InvalidInput("a department handler needs a department", field="department")
    if role is not Role.DEPARTMENT_HANDLER and department:
        raise InvalidInput("only a department handler has a department", field="department")
    with uow:
        user = uow.users.get_by_username(username)
        if user is None:
            raise NotFound(f"no user {username}", field="username")
        area = uow.areas.get(area_code, with_geometry=False)
        if area is None:
            raise NotFound(f"no area with code {area_code}", field="area_code")
        if area.level not in role.levels:
            allowed = ", ".join(sorted(level.slug for level in role.levels))
            raise InvalidInput(
                f"a {role.value} is granted at a {allowed}, not at a {area.level.slug}",
                field="area_code",
            )
        if actor is not None:
            authorize(actor, Action.ADMINISTER, area.path, f"users at area {area.code}")
        grant = Grant(role=role, area_code=area.code, area_path=area.path, department=department)
        uow.users.add_grant(user.id, grant, now)
        uow.commit()
    return grant


def create_token(uow: UnitOfWork, username: str, name: str, *, now: datetime) -> IssuedToken:
    if not name.strip():
        raise InvalidInput("a token needs a name", field="name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with uow:
        user = uow.users.get_by_username(username)
        if user is None:
            raise NotFound(f"no user {username}", field="username")
        uow.users.add_token(user.id, name, token_digest(token), now)
        uow.commit()
    return IssuedToken(name=name, token=token)


def revoke_token(uow: UnitOfWork, username: str, name: str, *, now: datetime) -> None:
    with uow:
        user = uow.users.get_by_username(username)
        if user is None:
            raise NotFound(f"no user {username}", field="username")
        if not uow.users.revoke_token(user.id, name, now):
            raise NotFound(f"user {username} has no live token named {name}", field="name")
        uow.commit()


def _principal(uow: UnitOfWork, user_id: int) -> Principal:
    user = uow.users.get(user_id)
    if user is None or not user.active:
        raise Unauthenticated("the user of this credential is not active")
    return Principal(
        user_id=user.id, username=user.username, grants=tuple(uow.users.grants(user.id))
    )


def authenticate_token(uow: UnitOfWork, token: str) -> Principal:
    with uow:
        held = uow.users.token_holder(token_digest(token))
    if held is None:
        raise Unauthenticated("the API token is unknown or revoked")
    return active_principal(*held)


def active_principal(user: StoredUser, grants: list[Grant]) -> Principal:
    """The principal a credential stands for, if its user is still active."""
    if not user.active:
        raise Unauthenticated("the user of this credential is not active")
    return Principal(user_id=user.id, username=user.username, grants=tuple(grants))


def authenticate_password(
    uow: UnitOfWork, hasher: PasswordHasher, username: str, password: str
) -> Principal:
    with uow:
        user = uow.users.get_by_username(username)
        # Verify against a dummy hash for unknown users so timing does not reveal them.
        stored = user.password_hash if user else hasher.hash("not-a-user-password")
        if not hasher.verify(stored, password) or user is None:
            raise Unauthenticated("wrong username or password")
        if hasher.needs_rehash(user.password_hash):
            uow.users.set_password_hash(user.id, hasher.hash(password))
            uow.commit()
        return _principal(uow, user.id)
