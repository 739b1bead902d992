"""Administering users: listing, adding, granting and revoking roles, deactivating.

An administrator acts inside the subtrees where they hold `Action.ADMINISTER` (today
the city administrator's city): they see users granted there (and users granted
nowhere yet), grant and revoke roles at areas there, and deactivate a user only when
every grant the user holds lies there.
"""

from __future__ import annotations

from datetime import datetime

from civicgrid.domain.access import Action, Grant, Principal, Role, authorize, scopes_for
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from civicgrid.services import users
from civicgrid.services.admin_ports import AdminUnitOfWork, UserSummary
from civicgrid.services.users import PasswordHasher

LIST_LIMIT = 200


def check_administrator(principal: Principal) -> None:
    """Forbidden unless the principal administers somewhere."""
    if not scopes_for(principal, Action.ADMINISTER):
        raise Forbidden(f"{principal.username} administers no area")


def list_users(
    uow: AdminUnitOfWork, principal: Principal, *, starting: str = "", limit: int = LIST_LIMIT
) -> list[UserSummary]:
    check_administrator(principal)
    with uow:
        return uow.admin.users_within(
            scopes_for(principal, Action.ADMINISTER), starting=starting.strip(), limit=limit
        )


def access_user(uow: AdminUnitOfWork, principal: Principal, username: str) -> UserSummary:
    """A user the principal administers: granted nowhere, or somewhere in their scopes."""
    check_administrator(principal)
    user = uow.admin.user(username)
    if user is None:
        raise NotFound(f"no user {username}", field="username")
    scopes = scopes_for(principal, Action.ADMINISTER)
    if user.grants and not any(is_within(g.area_path, s) for g in user.grants for s in scopes):
        raise Forbidden(f"{principal.username} may not administer {username}")
    return user


def get_user(uow: AdminUnitOfWork, principal: Principal, username: str) -> UserSummary:
    with uow:
        return access_user(uow, principal, username)


def add_user(
    uow: AdminUnitOfWork,
    principal: Principal,
    hasher: PasswordHasher,
    username: str,
    password: str,
    *,
    now: datetime,
    display_name: str = "",
) -> None:
    check_administrator(principal)
    if len(display_name) > 200:
        raise InvalidInput("the display name has at most 200 characters", field="display_name")
    users.add_user(uow, hasher, username, password, now=now, display_name=display_name.strip())


def grant_role(
    uow: AdminUnitOfWork,
    principal: Principal,
    username: str,
    role: Role,
    area_code: str,
    *,
    now: datetime,
    department: str = "",
) -> Grant:
    """`users.grant_role` as the principal, who must administer the area."""
    check_administrator(principal)
    with uow:
        access_user(uow, principal, username)
    return users.grant_role(
        uow, username, role, area_code, now=now, department=department, actor=principal
    )


def revoke_role(
    uow: AdminUnitOfWork,
    principal: Principal,
    username: str,
    role: Role,
    area_code: str,
    department: str = "",
) -> None:
    """Takes one grant away; it takes effect on the user's next request."""
    with uow:
        user = access_user(uow, principal, username)
        grant = next(
            (
                g
                for g in user.grants
                if g.role is role and g.area_code == area_code and g.department == department
            ),
            None,
        )
        if grant is None:
            raise NotFound(f"{username} holds no {role.value} at {area_code}", field="grant")
        authorize(principal, Action.ADMINISTER, grant.area_path, f"grants at {area_code}")
        uow.users.revoke_grant(user.id, grant)
        uow.commit()


def deactivate_user(
    uow: AdminUnitOfWork, principal: Principal, username: str, *, now: datetime
) -> int:
    """The user can no longer sign in or use a token; their web sessions end now.
    Returns how many sessions were ended."""
    with uow:
        user = access_user(uow, principal, username)
        if user.id == principal.user_id:
            raise Conflict("an administrator cannot deactivate themselves", field="username")
        for grant in user.grants:  # every grant: one admin may not lock out another's staff
            authorize(principal, Action.ADMINISTER, grant.area_path, f"user {username}")
        uow.admin.set_active(user.id, False)
        ended = uow.users.end_sessions_of(user.id, now)
        uow.commit()
    return ended


def reactivate_user(uow: AdminUnitOfWork, principal: Principal, username: str) -> None:
    with uow:
        user = access_user(uow, principal, username)
        for grant in user.grants:
            authorize(principal, Action.ADMINISTER, grant.area_path, f"user {username}")
        uow.admin.set_active(user.id, True)
        uow.commit()
