"""A user's inbox: the notifications addressed to the areas where they hold a grant.

A notification is addressed to an area (see cases/notify.py): a normal case to its own
micro-grid, an urgent one to every level at once, an escalation to the level it
reached. So the inbox is exact addresses, not a subtree: a district officer is told of
what reached the district, and follows the rest of the district on the live feed.
Read receipts are per user.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.areas.area import AreaPath
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.services.ports import Notification, Page, UnitOfWork

MAX_PAGE_SIZE = 200


def inbox_addresses(principal: Principal) -> list[AreaPath]:
    """Every area where `principal` holds a grant that lets them read."""
    return sorted({g.area_path for g in principal.grants if Action.READ in g.role.actions})


def get_inbox(
    uow: UnitOfWork, principal: Principal, *, page: int = 1, page_size: int = 50
) -> Page[Notification]:
    """Newest first, each marked read or not for this user."""
    if page < 1:
        raise InvalidInput("page must be 1 or more", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page_size must be between 1 and {MAX_PAGE_SIZE}", field="page_size")
    with uow:
        return uow.notifications.inbox(
            principal.user_id,
            inbox_addresses(principal),
            offset=(page - 1) * page_size,
            limit=page_size,
        )


def do_mark_read(
    uow: UnitOfWork, principal: Principal, notification_id: int, *, now: datetime
) -> Notification:
    """Mark one notification of the caller's inbox read; marking it again changes nothing."""
    with uow:
        found = uow.notifications.get(notification_id)
        # Someone else's notification is "not found" too: its existence is not news.
        if found is None or found.area_path not in inbox_addresses(principal):
            raise NotFound(
                f"no notification {notification_id} in your inbox", field="notification_id"
            )
        uow.notifications.mark_read(principal.user_id, notification_id, now)
        uow.commit()
    return replace(found, read=True)
