"""Reading and setting area tags, inside the actor's jurisdiction."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.areas import Level
from civicgrid.domain.tags import check_tag
from civicgrid.services.areas import access_area
from civicgrid.services.ports import UnitOfWork


def get_area_tags(uow: UnitOfWork, principal: Principal, code: str) -> list[str]:
    with uow:
        area = access_area(uow, principal, code, Action.READ, with_geometry=False)
        return uow.tags.tags_of(area.path)


def set_area_tags(
    uow: UnitOfWork,
    principal: Principal,
    code: str,
    *,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> list[str]:
    """Add and remove tags on one area; the tags it carries afterwards."""
    for tag in [*add, *remove]:
        check_tag(tag)
    with uow:
        area = access_area(uow, principal, code, Action.MANAGE_AREAS, with_geometry=False)
        uow.tags.set_tags(area.path, add, remove)
        tags = uow.tags.tags_of(area.path)
        uow.commit()
    return tags


def count_tags(uow: UnitOfWork, principal: Principal, code: str) -> dict[str, int]:
    """Each tag used below an area, with how many areas carry it."""
    with uow:
        area = access_area(uow, principal, code, Action.READ, with_geometry=False)
        return uow.tags.known(area.path)


def tag_every_nth(
    uow: UnitOfWork, within: str, level: Level, tag: str, every: int, offset: int = 0
) -> int:
    """Tag every `every`-th area at `level` below `within` (in path order): the demo's
    labelled-synthetic tags. Repeating it adds nothing."""
    check_tag(tag)
    with uow:
        root = uow.areas.get(within, with_geometry=False)
        if root is None:
            return 0
        page = uow.areas.subtree(root.path, level=level, offset=0, limit=10**6, with_geometry=False)
        chosen = [a.path for i, a in enumerate(page.items) if i % every == offset % every]
        added = uow.tags.tag_paths(chosen, tag)
        uow.commit()
    return added


DEMO_DISTRICT = "410105"  # 金水区
# Synthetic, like the demo's grids: every 20th micro-grid of 金水区 counts as a flood-risk
# point and every 50th has an underpass, so that directives have tags to select by.
DEMO_TAGS = (("flood-risk", 20), ("has-underpass", 50))


def tag_demo_areas(uow_factory: Callable[[], UnitOfWork]) -> dict[str, int]:
    """The demo's labelled-synthetic tags; repeating the demo load adds none twice."""
    return {
        tag: tag_every_nth(uow_factory(), DEMO_DISTRICT, Level.MICRO_GRID, tag, every)
        for tag, every in DEMO_TAGS
    }
