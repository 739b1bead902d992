"""Uploading, reading and attaching files (photos, PDFs) to cases."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from civicgrid.domain.access import Action, Principal, scopes_for
from civicgrid.domain.attachments import (
    DEFAULT_MAX_BYTES,
    Attachment,
    check_upload,
    clean_filename,
    content_hash,
    is_attachment_id,
    may_read,
)
from civicgrid.domain.errors import Forbidden, InvalidInput, NotFound
from civicgrid.services.attachment_ports import AttachmentStore
from civicgrid.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class Download:
    attachment: Attachment
    content: BinaryIO  # the caller closes it


def upload_attachment(
    uow: UnitOfWork,
    store: AttachmentStore,
    principal: Principal,
    filename: str,
    content_type: str,
    data: bytes,
    *,
    now: datetime,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Attachment:
    """Store a file whose bytes show an allowed type; `content_type` is only the client's claim."""
    if not scopes_for(principal, Action.OPERATE):
        raise Forbidden(f"{principal.username} works nowhere and cannot upload attachments")
    attachment = Attachment(
        id=uuid.uuid4().hex,
        sha256=content_hash(data),
        content_type=check_upload(data, max_bytes, declared=content_type),
        size=len(data),
        filename=clean_filename(filename),
        uploaded_by=principal.username,
        created_at=now,
    )
    with uow:
        # Bytes first: a failed commit leaves at most an unreferenced file, which the
        # next upload of the same content reuses; never a record without its bytes.
        store.put(attachment.sha256, data)
        uow.attachments.add(attachment)
        uow.commit()
    return attachment


def get_attachment(
    uow: UnitOfWork, store: AttachmentStore, principal: Principal, attachment_id: str
) -> Download:
    """The file, for readers of a case that references it or, until one does, its uploader."""
    with uow:
        wanted = [attachment_id] if is_attachment_id(attachment_id) else []
        attachment = uow.attachments.get_many(wanted).get(attachment_id)
        if attachment is None:
            raise NotFound(f"no attachment {attachment_id}", field="attachment_id")
        _check_readable(uow, principal, [attachment], field="attachment_id")
    try:
        return Download(attachment, store.open(attachment.sha256))
    except FileNotFoundError as exc:
        raise NotFound(f"the file of attachment {attachment_id} is missing from storage") from exc


def attach_to_case(
    uow: UnitOfWork, principal: Principal, case_id: int, attachment_ids: Iterable[str]
) -> None:
    """Check that each attachment exists and `principal` may read it; record that the case
    refers to it. Runs inside the caller's unit of work, before the event naming them."""
    wanted = list(dict.fromkeys(attachment_ids))
    if not wanted:
        return
    found = uow.attachments.get_many([i for i in wanted if is_attachment_id(i)])
    if missing := [i for i in wanted if i not in found]:
        raise InvalidInput(
            f"no attachment {', '.join(missing)}; upload it first", field="attachments"
        )
    _check_readable(uow, principal, [found[i] for i in wanted], field="attachments")
    uow.attachments.link(case_id, wanted)


def _check_readable(
    uow: UnitOfWork, principal: Principal, attachments: list[Attachment], *, field: str
) -> None:
    paths = uow.attachments.case_paths([a.id for a in attachments])
    for attachment in attachments:
        if not may_read(principal, attachment, paths.get(attachment.id, [])):
            raise Forbidden(
                f"{principal.username} may not read attachment {attachment.id}", field=field
            )


def describe_attachments(uow: UnitOfWork, attachment_ids: Iterable[str]) -> dict[str, Attachment]:
    """The records (type, size, name; no bytes) of files a page already shows by id.

    The ids must come from a case or directive the caller was allowed to read: reading the
    file itself still goes through `get_attachment` or its case/directive counterpart.
    """
    wanted = [i for i in dict.fromkeys(attachment_ids) if is_attachment_id(i)]
    if not wanted:
        return {}
    with uow:
        return uow.attachments.get_many(wanted)
