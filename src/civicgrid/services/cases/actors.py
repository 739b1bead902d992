"""Who acts: the principal of a named user, for entry points that run on the server."""

from __future__ import annotations

from civicgrid.domain.access import Principal
from civicgrid.domain.errors import Forbidden, NotFound
from civicgrid.services.ports import UnitOfWork


def get_user_principal(uow: UnitOfWork, username: str) -> Principal:
    """`username` with their grants, as a token would authenticate them.

    The CLI runs with the database in hand, so it needs no credential; it still acts
    as a named user because workflow positions come from that user's grants.
    """
    with uow:
        user = uow.users.get_by_username(username)
        if user is None:
            raise NotFound(f"no user {username}", field="username")
        if not user.active:
            raise Forbidden(f"user {username} is not active", field="username")
        grants = tuple(uow.users.grants(user.id))
    return Principal(user_id=user.id, username=user.username, grants=grants)
