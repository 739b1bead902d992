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


# Finer kinds of refusal, told apart by their class so that a page can say which in the
# reader's language; they keep their parent's code, which the API answers with.


class OutsideJurisdiction(Forbidden):
    """The target lies outside every subtree where the actor may do this."""


class NotYourPosition(Forbidden):
    """The actor's workflow position (role) may not take this step here."""


class WrongStage(Conflict):
    """The case is not at a stage, or in a state, where this step is taken."""
