"""Signing in and out of the web pages: a password opens a session, the session's secret
lives only in the browser's cookie, and ending it (or its expiry) shuts the door."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from civicgrid.domain.access import Principal
from civicgrid.domain.errors import Unauthenticated
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.users import (
    PasswordHasher,
    active_principal,
    authenticate_password,
    token_digest,
)

SESSION_LIFETIME = timedelta(hours=12)  # one working day, then sign in again


@dataclass(frozen=True, slots=True)
class OpenedSession:
    secret: str  # for the cookie; only its digest is stored
    principal: Principal
    expires_at: datetime


def sign_in(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    username: str,
    password: str,
    *,
    now: datetime,
    lifetime: timedelta = SESSION_LIFETIME,
) -> OpenedSession:
    """A new session for a user whose password matches; Unauthenticated otherwise."""
    principal = authenticate_password(uow, hasher, username, password)
    secret = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    with uow:
        uow.users.add_session(principal.user_id, token_digest(secret), now, expires_at)
        uow.commit()
    return OpenedSession(secret=secret, principal=principal, expires_at=expires_at)


def session_principal(uow: UnitOfWork, secret: str, *, now: datetime) -> Principal:
    """Who holds this live session, with their grants as they are now (a revoked role is
    gone on the next page, not at the next sign-in)."""
    with uow:
        held = uow.users.session_holder(token_digest(secret), now)
    if held is None:
        raise Unauthenticated("the session has ended or expired; sign in again")
    return active_principal(*held)


def sign_out(uow: UnitOfWork, secret: str, *, now: datetime) -> bool:
    """Ends the session; False when it had ended already (signing out twice is harmless)."""
    with uow:
        ended = uow.users.end_session(token_digest(secret), now)
        uow.commit()
    return ended
