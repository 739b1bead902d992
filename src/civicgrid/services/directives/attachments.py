"""Attachments named by a directive or a feedback form: uploaded first, readable by the caller."""

from __future__ import annotations

from collections.abc import Iterable

from civicgrid.domain.access import Principal
from civicgrid.domain.attachments import is_attachment_id, may_read
from civicgrid.domain.errors import Forbidden, InvalidInput
from civicgrid.services.ports import UnitOfWork


def check_attachments(
    uow: UnitOfWork, principal: Principal, attachment_ids: Iterable[str], *, field: str
) -> None:
    wanted = list(dict.fromkeys(attachment_ids))
    if not wanted:
        return
    found = uow.attachments.get_many([i for i in wanted if is_attachment_id(i)])
    if missing := [i for i in wanted if i not in found]:
        raise InvalidInput(f"no attachment {', '.join(missing)}; upload it first", field=field)
    paths = uow.attachments.case_paths(wanted)
    for attachment_id in wanted:
        if not may_read(principal, found[attachment_id], paths.get(attachment_id, [])):
            raise Forbidden(
                f"{principal.username} may not use attachment {attachment_id}", field=field
            )
