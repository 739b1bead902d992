"""Open311 API keys: who may POST. A key is shown once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from civicgrid.services.citizen_ports import ApiKey
from civicgrid.services.ports import UnitOfWork

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True, slots=True)
class IssuedKey:
    name: str
    key: str  # shown once


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def add_api_key(uow: UnitOfWork, name: str, *, now: datetime) -> IssuedKey:
    if not _NAME.fullmatch(name):
        raise InvalidInput(
            "a key name is 1-64 letters, digits, dots, dashes or underscores", field="name"
        )
    key = "o311_" + secrets.token_urlsafe(24)
    with uow:
        if any(existing.name == name for existing in uow.citizens.api_keys()):
            raise Conflict(f"an API key named {name} exists; revoke it or choose another name")
        uow.citizens.add_api_key(name, key_digest(key), now)
        uow.commit()
    return IssuedKey(name=name, key=key)


def revoke_api_key(uow: UnitOfWork, name: str, *, now: datetime) -> None:
    with uow:
        if not uow.citizens.revoke_api_key(name, now):
            raise NotFound(f"no live API key named {name}", field="name")
        uow.commit()


def list_api_keys(uow: UnitOfWork) -> list[ApiKey]:
    with uow:
        return uow.citizens.api_keys()


def check_api_key(uow: UnitOfWork, key: str | None) -> ApiKey:
    """The live key, or Forbidden (Open311's 403) naming what is wrong."""
    if not key:
        raise Forbidden("api_key is required to create a service request", field="api_key")
    with uow:
        found = uow.citizens.api_key_for(key_digest(key))
    if found is None:
        raise Forbidden("invalid api_key; ask the city for one", field="api_key")
    return found
