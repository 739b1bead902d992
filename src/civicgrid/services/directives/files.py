"""Files of a directive: its own attachments, and the photos units sent back.

They are readable by whoever may read the directive (its attachments) or the receipt
(a unit's photos); the uploader-only rule of unattached files does not apply once a
directive or a feedback names them.
"""

from __future__ import annotations

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.errors import NotFound
from civicgrid.domain.forms import photo_ids
from civicgrid.services.attachment_ports import AttachmentStore
from civicgrid.services.attachments import Download
from civicgrid.services.directives.access import access_directive, access_receipt
from civicgrid.services.ports import UnitOfWork


def get_directive_file(
    uow: UnitOfWork,
    store: AttachmentStore,
    principal: Principal,
    directive_id: int,
    attachment_id: str,
    *,
    unit: str | None = None,
) -> Download:
    """`unit` None: an attachment of the directive; else a photo in that unit's feedback."""
    with uow:
        directive = access_directive(uow, principal, directive_id)
        if unit is None:
            named = list(directive.content.attachments)
        else:
            _, receipt = access_receipt(uow, principal, directive, unit, Action.READ)
            named = photo_ids(directive.content.form, receipt.feedback)
        found = uow.attachments.get_many([attachment_id]) if attachment_id in named else {}
    attachment = found.get(attachment_id)
    if attachment is None:
        raise NotFound(f"no attachment {attachment_id} here", field="attachment_id")
    try:
        return Download(attachment, store.open(attachment.sha256))
    except FileNotFoundError as exc:
        raise NotFound(f"the file of attachment {attachment_id} is missing from storage") from exc
