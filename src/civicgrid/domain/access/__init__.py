"""Who may do what, where: roles scoped to a subtree of the hierarchy."""

from civicgrid.domain.access.guard import authorize, readable_scopes, scopes_for
from civicgrid.domain.access.principal import Grant, Principal, local_operator
from civicgrid.domain.access.roles import Action, Role

__all__ = [
    "Action",
    "Grant",
    "Principal",
    "Role",
    "authorize",
    "local_operator",
    "readable_scopes",
    "scopes_for",
]
