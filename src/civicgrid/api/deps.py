"""Typed dependencies: the container and the authenticated principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Principal
from civicgrid.domain.errors import Unauthenticated
from civicgrid.services.users import authenticate_token

_bearer = HTTPBearer(auto_error=False, description="An API token from `civicgrid users token`")


async def get_container(request: Request) -> Container:
    # async: it only reads app state, and a sync dependency would cost every request a
    # hop to the thread pool and back.
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


async def get_bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("send an API token as 'Authorization: Bearer <token>'")
    return credentials.credentials


BearerToken = Annotated[str, Depends(get_bearer_token)]


def get_principal(container: ContainerDep, token: BearerToken) -> Principal:
    return authenticate_token(container.uow(), token)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
"""The caller, checked against the database in a thread-pool hop of its own. A hot sync
route can take `BearerToken` instead and call `authenticate_token` itself, in the
thread it already runs in."""
