"""Domain errors. Each carries a machine code and, where it applies, the field at fault."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a rule of the domain was broken by the input."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    code = "invalid_input"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class Forbidden(DomainError):
    """The actor is known but the target lies outside what they may see or change."""

    code = "forbidden"
