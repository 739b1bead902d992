"""/api/v1/areas/{code}/tags: the labels directives select units by ("flood-risk")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.schemas.directives import TagsIn, TagsOut
from civicgrid.services.area_tags import count_tags, get_area_tags, set_area_tags

router = APIRouter(prefix="/api/v1/areas", tags=["areas"], responses=ERROR_RESPONSES)

AreaCode = Annotated[str, Path(min_length=6, max_length=17, pattern=r"^\d+$")]


@router.get("/{code}/tags")
def read_tags(container: ContainerDep, principal: CurrentPrincipal, code: AreaCode) -> TagsOut:
    return TagsOut(code=code, tags=get_area_tags(container.uow(), principal, code))


@router.post("/{code}/tags")
def change_tags(
    container: ContainerDep, principal: CurrentPrincipal, code: AreaCode, body: TagsIn
) -> TagsOut:
    """Add and remove tags; needs the right to manage the area."""
    tags = set_area_tags(container.uow(), principal, code, add=body.add, remove=body.remove)
    return TagsOut(code=code, tags=tags)


@router.get("/{code}/tags/below")
def tags_below(
    container: ContainerDep, principal: CurrentPrincipal, code: AreaCode
) -> dict[str, int]:
    """Each tag used below the area, with how many areas carry it."""
    return count_tags(container.uow(), principal, code)
